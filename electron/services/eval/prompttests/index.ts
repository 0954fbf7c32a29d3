export { Assertion, PromptTestFile, PromptTestEntry } from './PromptTestFile.js';
export { PromptTestFileInvalidError } from './PromptTestFileInvalidError.js';
export { runPromptTests, parsePromptTestFile, expandCases, type Generate, type PromptCaseResult, type PromptTestReport, type AssertionResult } from './runPromptTests.js';
export { providerGenerate, type ProviderGenerateOptions } from './providerGenerate.js';
