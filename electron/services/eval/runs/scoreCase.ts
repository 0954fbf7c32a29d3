import type { EvalMetricName } from '../../../../shared/schemas/eval.js';
import { canonicalJson } from '../datasets/index.js';
import { contains, exactMatch, fieldF1, normalizedMatch, parseJsonOutput, schemaValid, tokenF1, type MetricResult } from '../metrics/index.js';

const fail = (metric: string, reason: string): MetricResult => ({ metric, pass: false, score: 0, reason });

/**
 * Scores one output with the variant's metrics. Text metrics compare against `expected` (a JSON expected value is
 * compared as canonical JSON text); 'schema-valid' and 'field-f1' read `extracted` (the extraction's value) when
 * given, else parse `got` as JSON. A metric that cannot apply (no expected answer, no schema) fails with a reason
 * rather than being skipped: a silently skipped metric would inflate accuracy.
 */
export function scoreCase(metrics: readonly EvalMetricName[], got: string, expected: unknown, options: { schema?: object; extracted?: { value: unknown } } = {}): MetricResult[] {
  const expectedText = expected === undefined ? null : typeof expected === 'string' ? expected : canonicalJson(expected);
  return metrics.map((metric): MetricResult => {
    switch (metric) {
      case 'exact-match':
      case 'normalized-match':
      case 'token-f1':
      case 'contains': {
        if (expectedText === null) return fail(metric, 'the case has no expected answer');
        if (metric === 'exact-match') return exactMatch(got, expectedText);
        if (metric === 'normalized-match') return normalizedMatch(got, expectedText);
        if (metric === 'token-f1') return tokenF1(got, expectedText);
        return contains(got, expectedText);
      }
      case 'schema-valid':
        if (options.schema === undefined) return fail(metric, 'the variant has no JSON schema');
        return schemaValid(options.extracted ?? got, options.schema);
      case 'field-f1': {
        if (expected === undefined || expected === null || typeof expected !== 'object') return fail(metric, 'field-f1 needs an expected JSON object');
        let value: unknown;
        if (options.extracted !== undefined) value = options.extracted.value;
        else {
          const parsed = parseJsonOutput(got);
          if (!parsed.ok) return fail(metric, `not JSON: ${parsed.error}`);
          value = parsed.value;
        }
        const f = fieldF1(value, expected);
        return { metric, pass: f.f1 === 1, score: f.f1, ...(f.f1 === 1 ? {} : { reason: `precision ${f.precision.toFixed(2)}, recall ${f.recall.toFixed(2)}` }) };
      }
    }
  });
}
