/**
 * Prompting: versioned templates, few-shot / chain-of-thought builders, untrusted-text wrapping, and the
 * techniques that run on a model through a `GenerateFn` (wired by the app to the instrumented pipeline):
 * self-consistency, a ReAct agent with tools, an LLM judge (RAG faithfulness / answer relevance), and a
 * base-vs-LoRA A/B.
 */
export { PromptTemplate, type TemplateVars } from './PromptTemplate.js';
export { TemplateVariableMissingError } from './TemplateVariableMissingError.js';
export { buildFewShotPrompt, type FewShotExample, type FewShotOptions } from './buildFewShotPrompt.js';
export { buildChainOfThoughtPrompt, extractFinalAnswer, type WorkedExample, type ChainOfThoughtOptions } from './buildChainOfThoughtPrompt.js';
export { wrapUntrustedDocument, type WrapOptions } from './wrapUntrustedDocument.js';
export { majorityVote, normalizeAnswer, type MajorityVoteResult } from './majorityVote.js';
export type { GenerateFn } from './GenerateFn.js';
export { compileAnswerConstraint, type AnswerSpec, type CompiledAnswer } from './compileAnswerConstraint.js';
export { AnswerExtractionError } from './AnswerExtractionError.js';
export { NoConsensusError } from './NoConsensusError.js';
export {
  selfConsistency,
  type SelfConsistencyOptions,
  type SelfConsistencyResult,
  type SelfConsistencySample,
} from './selfConsistency.js';
export {
  ReActAgent,
  type ReActAgentOptions,
  type ReActAction,
  type ReActStep,
  type ReActStopReason,
  type ReActResult,
} from './ReActAgent.js';
export type { ReActTool } from './ReActTool.js';
export { ToolInputError } from './ToolInputError.js';
export { evaluateArithmetic } from './evaluateArithmetic.js';
export { calculatorTool } from './calculatorTool.js';
export { dateTool } from './dateTool.js';
export { documentSearchTool, type SearchHit } from './documentSearchTool.js';
export { LlmJudge, type LlmJudgeOptions, type JudgeCriterion, type JudgeInput, type CriterionScore } from './LlmJudge.js';
export { JudgeVerdict } from './JudgeVerdict.js';
export { JudgeVerdictInvalidError } from './JudgeVerdictInvalidError.js';
export {
  runLoraAB,
  type LoraABOptions,
  type LoraABCase,
  type LoraABResult,
  type LoraCaseResult,
  type LoraSideResult,
} from './runLoraAB.js';
export { LoraAdapterLoadError } from './LoraAdapterLoadError.js';
