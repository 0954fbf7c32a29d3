import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestEntry } from '../shared/schemas/models.js';

describe('models/manifest.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'manifest.json'), 'utf8')) as { models: unknown[] };
  it('is valid against the shared schema, with unique ids and paths', () => {
    const entries = z.array(ManifestEntry).parse(manifest.models);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const paths = entries.flatMap((e) => e.files.map((f) => f.path));
    expect(new Set(paths).size).toBe(paths.length);
    expect(entries.some((e) => e.role === 'chat')).toBe(true);
    expect(entries.some((e) => e.role === 'embedding')).toBe(true);
    expect(entries.some((e) => e.role === 'reranker')).toBe(true);
    for (const e of entries) for (const f of e.files) expect(new URL(f.url).protocol).toBe('https:');
  });
});
