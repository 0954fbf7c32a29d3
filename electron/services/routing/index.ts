/**
 * The instrumented request path: every generation (local or remote) goes through `RequestPipeline` — budget
 * pre-flight, response cache, retries with full-jitter backoff and Retry-After, fallbacks — and EVERY attempt lands
 * in the ledger through `RequestRecorder`. Plus adaptive model routing and prompt compression/batching.
 */
export { RequestPipeline, type RequestPipelineOptions, type PipelineCallOptions, type PipelineResult } from './RequestPipeline.js';
export { RetryPolicy, type RetryPolicyOptions, type RetryDecision } from './RetryPolicy.js';
export { abortableSleep } from './abortableSleep.js';
export { seededRandom } from './seededRandom.js';
export type { RequestRecorder, RecordedRequest } from './RequestRecorder.js';
export type { BudgetGate, BudgetEstimate } from './BudgetGate.js';
export type { Pricer } from './Pricer.js';
export type { AttemptSummary } from './AttemptSummary.js';
export { RequestFailedError, type StopReason } from './RequestFailedError.js';
export { RequestCancelledError } from './RequestCancelledError.js';
export { NoProvidersError } from './NoProvidersError.js';
export { ModelRouter, type ModelRouterOptions, type RouterCandidate, type RouteRequest, type RouteDecision, type CandidateAssessment } from './ModelRouter.js';
export { estimateComplexity, COMPLEXITY_WEIGHTS, type ComplexityEstimate, type ComplexitySignals } from './estimateComplexity.js';
export { NoEligibleModelError } from './NoEligibleModelError.js';
export * from './compression/index.js';
