/**
 * Grounded chat (RAG): retrieval with a relevance gate, optional extractive / LLM-chosen compression, an answer whose
 * citations are grammar-constrained to the passages in the prompt, and the persisted chat history.
 */
export { answerQuestion, NOT_FOUND_ANSWER, type AnswerQuestionOptions, type GroundedAnswer, type AnswerPhase, type CostLookup } from './answerQuestion.js';
export { buildCitationGrammar, SOURCES_MARKER, type CitationGrammarOptions } from './buildCitationGrammar.js';
export { parseCitedAnswer, type ParsedCitedAnswer } from './parseCitedAnswer.js';
export { buildGroundedMessages, type PromptPassage, type GroundedMessagesOptions } from './buildGroundedMessages.js';
export { selectSentences, sentenceChoiceGrammar, type CandidateSentence, type SelectSentencesOptions, type SelectSentencesResult } from './selectSentences.js';
export { ChatHistoryStore, type NewChatMessage } from './ChatHistoryStore.js';
export { ConversationNotFoundError } from './ConversationNotFoundError.js';
