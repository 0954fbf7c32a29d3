import { describe, expect, it } from 'vitest';
import { AppError, SerializedAppError } from '../../../shared/errors.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import { EmbedderWorkerCrashedError } from './EmbedderWorkerCrashedError.js';
import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';

describe('embeddings errors', () => {
  it('EmbedderMissingError carries modelId/path, is not retryable, and serialises to the wire schema', () => {
    const e = new EmbedderMissingError('transformers:bge-small', '/models/bge-small/config.json');
    expect(e).toBeInstanceOf(AppError);
    expect(e.name).toBe('EmbedderMissingError');
    const wire = e.toSerialized();
    expect(SerializedAppError.parse(wire)).toEqual({
      code: 'EMBEDDER_MISSING',
      message: expect.stringMatching(/Models screen/),
      details: { modelId: 'transformers:bge-small', path: '/models/bge-small/config.json' },
      retryable: false,
    });
  });

  it('the other failures use the closest existing codes', () => {
    expect(new EmbedderLoadError('m', '/p', 'bad protobuf').toSerialized()).toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      details: { modelId: 'm', path: '/p', reason: 'bad protobuf' },
    });
    expect(new EmbeddingCancelledError(3, 10).toSerialized()).toMatchObject({ code: 'CANCELLED', details: { completed: 3, total: 10 } });
    expect(new EmbedderWorkerCrashedError('use-lite', 'exited with code 1').retryable).toBe(true);
  });
});
