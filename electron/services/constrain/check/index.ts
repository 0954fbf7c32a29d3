export { GrammarChecker, type CompiledGrammarCheck, type GrammarCheckerOptions } from './GrammarChecker.js';
export { GrammarInvalidError } from './GrammarInvalidError.js';
export { TokenWalkChecker, type TokenWalkCheckerOptions } from './TokenWalkChecker.js';
