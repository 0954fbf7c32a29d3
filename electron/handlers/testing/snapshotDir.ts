import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Test helper: every file under `root` with its size and mtime, sorted, as one string. Two equal snapshots mean
 * nothing was written in between (the fuzz tests use it to prove rejected input writes nothing).
 */
export async function snapshotDir(root: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else {
        const s = await fs.stat(full);
        out.push(`${path.relative(root, full)}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  await walk(root);
  return out.sort().join('\n');
}
