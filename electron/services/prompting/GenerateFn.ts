import type { GenerateResult } from '../../../shared/schemas/generation.js';
import type { GenerateRequest } from '../llm/index.js';

/**
 * The one thing the prompting techniques need from the app: "generate this request". The app wires it to
 * `RequestPipeline.generate(request, {providers: [models.requireProvider()], ...})`, so every sample, judge
 * verdict and agent step lands in the ledger; tests wire it to a scripted fake. Taking a function instead of
 * the pipeline keeps this service free of `electron/handlers` (services may not import it) and of the
 * pipeline's call options. `costMicros` is read when present (the pipeline's priced cost) for cost limits.
 */
export type GenerateFn = (request: GenerateRequest) => Promise<GenerateResult & { costMicros?: number | null }>;
