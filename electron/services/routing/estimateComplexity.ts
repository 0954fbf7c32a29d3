/** The signals behind a complexity score, each in [0, 1], so a decision can be explained. */
export interface ComplexitySignals {
  length: number;
  questions: number;
  code: number;
  math: number;
  reasoning: number;
  schemaDepth: number;
}

export interface ComplexityEstimate {
  /** Weighted sum of the signals, in [0, 1]. */
  score: number;
  signals: ComplexitySignals;
}

/**
 * Weights of the heuristic (they sum to 1). Length dominates because long contexts are where small models lose the
 * thread first; code and structure come next. These are priors, not measurements: the eval workbench's per-model
 * quality (the router's `qualityOf`) is what should be tuned, not these.
 */
export const COMPLEXITY_WEIGHTS: Readonly<ComplexitySignals> = { length: 0.25, questions: 0.15, code: 0.2, math: 0.15, reasoning: 0.1, schemaDepth: 0.15 };

/**
 * A cheap, explainable estimate of how hard a prompt is, in [0, 1]:
 * - length: prompt tokens / 4000 (saturating) — tokens, not characters, so it is language-neutral;
 * - questions: number of '?' / 4 (several questions in one prompt need more capacity);
 * - code: fenced blocks, or ≥ 2 code markers (`function`, `def`, `class`, `=>`, `{ ... }` lines, `;` line ends, SQL);
 * - math: LaTeX, operators between numbers, equations, words like prove/derive/integral;
 * - reasoning: why/explain/compare/analy[sz]e/step by step/trade-off, saturating at 3 occurrences;
 * - schemaDepth: nesting depth of the requested JSON schema / 4 (deep structured outputs are where small models
 *   produce valid-but-wrong JSON).
 * No model is run: routing must cost far less than the call it routes.
 */
export function estimateComplexity(text: string, promptTokens: number, schema?: unknown): ComplexityEstimate {
  const sat = (x: number): number => Math.max(0, Math.min(1, x));
  const count = (re: RegExp): number => (text.match(re) ?? []).length;
  const codeMarkers =
    count(/\bfunction\b|\bdef\s+\w+\(|\bclass\s+\w+|=>|\breturn\b|\bimport\s+\w|\bSELECT\b.+\bFROM\b/g) + count(/[;{}]\s*$/gm);
  const signals: ComplexitySignals = {
    length: sat(promptTokens / 4000),
    questions: sat(count(/\?/g) / 4),
    code: /```/.test(text) ? 1 : sat(codeMarkers / 4),
    math: sat(count(/\\(frac|sum|int|sqrt)|[∑∫√≤≥≠]|\d\s*[-+*/^=]\s*\d|\b(prove|derive|integral|derivative|equation|theorem)\b/gi) / 3),
    reasoning: sat(count(/\b(why|explain|compare|analy[sz]e|step[- ]by[- ]step|trade-?offs?|justify|evaluate)\b/gi) / 3),
    schemaDepth: schema === undefined ? 0 : sat((schemaNesting(schema) - 1) / 4),
  };
  let score = 0;
  for (const k of Object.keys(COMPLEXITY_WEIGHTS) as (keyof ComplexitySignals)[]) score += COMPLEXITY_WEIGHTS[k] * signals[k];
  return { score: sat(score), signals };
}

/** Depth of object/array nesting in a JSON schema (a flat object is 1). Bounded to 32 levels. */
function schemaNesting(schema: unknown, depth = 0): number {
  if (depth > 32 || schema === null || typeof schema !== 'object') return 0;
  const s = schema as Record<string, unknown>;
  let inner = 0;
  const children: unknown[] = [];
  if (s.properties !== null && typeof s.properties === 'object') children.push(...Object.values(s.properties as object));
  if (s.items !== undefined) children.push(...(Array.isArray(s.items) ? s.items : [s.items]));
  for (const k of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) if (Array.isArray(s[k])) children.push(...(s[k] as unknown[]));
  for (const c of children) inner = Math.max(inner, schemaNesting(c, depth + 1));
  const isContainer = s.type === 'object' || s.type === 'array' || s.properties !== undefined || s.items !== undefined;
  return (isContainer ? 1 : 0) + inner;
}
