import { canonicalJson } from '../datasets/parseDatasetJsonl.js';

export type ArrayMode = 'multiset' | 'indexed';

export type FieldScores = {
  precision: number;
  recall: number;
  f1: number;
  /** Leaf facts in the prediction / in the reference / in both. */
  predicted: number;
  expected: number;
  matched: number;
  /** Per top-level-path breakdown: `path → {tp, fp, fn}`, for "which field does the model get wrong". */
  byField: Record<string, { tp: number; fp: number; fn: number }>;
};

/**
 * Flattens JSON into `path = value` facts. Objects add `.key`; arrays add `[]` in 'multiset' mode
 * (element order ignored; duplicates counted) or `[i]` in 'indexed' mode (order matters). Strings
 * are compared after trim + lower-case unless `caseSensitive`; numbers exactly; empty objects/arrays
 * are one fact (`{}` / `[]`) so "returned nothing" is not scored as "returned everything".
 */
export function flattenJson(value: unknown, options: { arrays?: ArrayMode; caseSensitive?: boolean } = {}, prefix = ''): [string, string][] {
  const arrays = options.arrays ?? 'multiset';
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix || '$', '[]']];
    return value.flatMap((v, i) => flattenJson(v, options, `${prefix}[${arrays === 'indexed' ? i : ''}]`));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return [[prefix || '$', '{}']];
    return keys.flatMap((k) => flattenJson((value as Record<string, unknown>)[k], options, prefix ? `${prefix}.${k}` : k));
  }
  const leaf = typeof value === 'string' && !options.caseSensitive ? value.trim().toLowerCase() : value;
  return [[prefix || '$', canonicalJson(leaf)]];
}

const topField = (p: string): string => /^[^.[]*/.exec(p)![0] || '$';

/**
 * Field-level precision / recall / F1 for extraction: the multiset overlap of flattened
 * `path = value` facts. A wrong value on a path counts as one false positive and one false negative
 * (as in slot-filling evaluations). Default arrays: 'multiset' — extracted lists (line items, names)
 * rarely have a canonical order, and 'indexed' would punish one early omission on every later element.
 * Both empty → precision = recall = F1 = 1.
 */
export function fieldF1(predicted: unknown, expected: unknown, options: { arrays?: ArrayMode; caseSensitive?: boolean } = {}): FieldScores {
  const pred = flattenJson(predicted, options);
  const gold = flattenJson(expected, options);
  const remaining = new Map<string, number>();
  for (const [p, v] of gold) remaining.set(`${p}\u0000${v}`, (remaining.get(`${p}\u0000${v}`) ?? 0) + 1);
  const byField: FieldScores['byField'] = {};
  const bump = (p: string, k: 'tp' | 'fp' | 'fn') => {
    const f = (byField[topField(p)] ??= { tp: 0, fp: 0, fn: 0 });
    f[k]++;
  };
  let matched = 0;
  for (const [p, v] of pred) {
    const key = `${p}\u0000${v}`;
    const c = remaining.get(key) ?? 0;
    if (c > 0) {
      matched++;
      remaining.set(key, c - 1);
      bump(p, 'tp');
    } else bump(p, 'fp');
  }
  for (const [key, c] of remaining) for (let i = 0; i < c; i++) bump(key.split('\u0000')[0]!, 'fn');
  const precision = pred.length === 0 ? (gold.length === 0 ? 1 : 0) : matched / pred.length;
  const recall = gold.length === 0 ? (pred.length === 0 ? 1 : 0) : matched / gold.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, predicted: pred.length, expected: gold.length, matched, byField };
}
