/** A five-case starter dataset, so the empty state can teach the format by example. */
export const SAMPLE_DATASET_NAME = 'capitals';
export const SAMPLE_DATASET = [
  { id: 'fr', input: 'What is the capital of France?', expected: 'Paris' },
  { id: 'jp', input: 'What is the capital of Japan?', expected: 'Tokyo' },
  { id: 'it', input: 'What is the capital of Italy?', expected: 'Rome' },
  { id: 'eg', input: 'What is the capital of Egypt?', expected: 'Cairo' },
  { id: 'pe', input: 'What is the capital of Peru?', expected: 'Lima' },
]
  .map((c) => JSON.stringify(c))
  .join('\n');
