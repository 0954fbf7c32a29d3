export { regexToGbnf, type RegexToGbnfOptions, type GbnfFragment } from './regexToGbnf.js';
export { fragmentToGrammar } from './fragmentToGrammar.js';
export { RegexUnsupportedError, type RegexFeature } from './RegexUnsupportedError.js';
export { parseRegex, type ParsedRegex, type RegexNode, type RegexAlternative } from './parseRegex.js';
export { sampleRegex } from './sampleRegex.js';
export { regexCorpus, legacyRegexCorpus } from './regexCorpus.js';
