import { DatasetCase, type Dataset, type DatasetKind } from './DatasetCase.js';
import { DatasetInvalidError } from './DatasetInvalidError.js';

export type DatasetLineError = { line: number; message: string };
export type ParsedDataset = { dataset: Dataset; errors: DatasetLineError[] };

/**
 * Parses JSONL (one case per line; blank lines and lines starting with `//` are skipped). A bad line
 * (invalid JSON, wrong shape, duplicate id, extraction case without an expected object) is
 * reported with its 1-based line number and skipped; the rest are kept. Lenient on purpose: one
 * typo should not throw away a 500-case dataset, but the caller must show `errors`.
 * @throws DatasetInvalidError when no usable case remains.
 */
export function parseDatasetJsonl(text: string, options: { name: string; kind?: DatasetKind }): ParsedDataset {
  const kind = options.kind ?? 'qa';
  const cases: DatasetCase[] = [];
  const errors: DatasetLineError[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      errors.push({ line, message: `invalid JSON: ${(e as Error).message}` });
      return;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !('id' in value)) {
      value = { ...value, id: `line-${line}` };
    }
    const parsed = DatasetCase.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const at = issue.path.length ? issue.path.join('.') : '(root)';
      errors.push({ line, message: `${at}: ${issue.message}` });
      return;
    }
    const c = parsed.data;
    if (ids.has(c.id)) {
      errors.push({ line, message: `duplicate id "${c.id}"` });
      return;
    }
    if (kind === 'extraction' && (c.expected === undefined || c.expected === null || typeof c.expected !== 'object')) {
      errors.push({ line, message: 'extraction cases need an expected JSON object or array' });
      return;
    }
    ids.add(c.id);
    cases.push(c);
  });
  if (cases.length === 0) throw new DatasetInvalidError(options.name, errors);
  return { dataset: { name: options.name, kind, cases }, errors };
}

/** Stable JSON (object keys sorted) so equal content always serialises, and hashes, the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

/** JSONL export, one canonical case per line, trailing newline. Round-trips through `parseDatasetJsonl`. */
export function serializeDatasetJsonl(cases: readonly DatasetCase[]): string {
  return cases.map((c) => canonicalJson(c)).join('\n') + '\n';
}
