/** Prompting: versioned templates, few-shot / chain-of-thought builders, untrusted-text wrapping, self-consistency voting. */
export { PromptTemplate, type TemplateVars } from './PromptTemplate.js';
export { TemplateVariableMissingError } from './TemplateVariableMissingError.js';
export { buildFewShotPrompt, type FewShotExample, type FewShotOptions } from './buildFewShotPrompt.js';
export { buildChainOfThoughtPrompt, extractFinalAnswer, type WorkedExample, type ChainOfThoughtOptions } from './buildChainOfThoughtPrompt.js';
export { wrapUntrustedDocument, type WrapOptions } from './wrapUntrustedDocument.js';
export { majorityVote, normalizeAnswer, type MajorityVoteResult } from './majorityVote.js';
