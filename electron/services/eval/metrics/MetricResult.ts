/** The outcome of one metric on one case. `score` is in [0, 1] for quality metrics; raw units for latency/cost. */
export type MetricResult = {
  metric: string;
  pass: boolean;
  score: number;
  /** Human-readable reason, e.g. the first schema error or the missing fields. */
  reason?: string;
};
