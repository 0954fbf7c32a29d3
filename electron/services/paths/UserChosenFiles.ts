import fs from 'node:fs/promises';

/**
 * The files the user picked in a native open dialog during this session (main process only). Main records
 * each dialog result here; handlers that open a renderer-supplied path can then require membership via
 * `validateUserPath(p, {extensions, chosen})`, so a compromised renderer cannot name arbitrary files.
 * Stores real paths (symlinks resolved). Bounded: the oldest entries are forgotten past `max` (default 1000).
 */
export class UserChosenFiles {
  private readonly files = new Set<string>();

  constructor(private readonly max = 1000) {}

  /** Records dialog results; paths that no longer resolve are skipped. Returns the recorded real paths. */
  async remember(paths: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const p of paths) {
      let real: string;
      try {
        real = await fs.realpath(p);
      } catch {
        continue;
      }
      this.files.delete(real);
      this.files.add(real);
      out.push(real);
      while (this.files.size > this.max) this.files.delete(this.files.values().next().value!);
    }
    return out;
  }

  has(realPath: string): boolean {
    return this.files.has(realPath);
  }

  get size(): number {
    return this.files.size;
  }
}
