import os from 'node:os';

/**
 * Imported (for its side effect) before `@lancedb/lancedb`: gives Lance's CPU runtime at least 4 threads.
 * Lance sizes its blocking pool from the core count, and with ≤ 2 cores the FTS index builder deadlocks once its
 * output needs more than one posting-list batch (lancedb/lancedb#3568): on this 2-core machine an FTS build or
 * optimize over ~40k–100k chunks sat at 0% CPU forever. `LANCE_CPU_THREADS` set by the user wins.
 */
if (process.env.LANCE_CPU_THREADS === undefined) {
  process.env.LANCE_CPU_THREADS = String(Math.max(4, os.availableParallelism()));
}
