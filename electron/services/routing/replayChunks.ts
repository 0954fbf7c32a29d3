/**
 * Splits a cached answer into at most `maxChunks` pieces for replay through a token stream. With at least
 * `maxChunks` words, pieces are runs of whole words (with their trailing whitespace); shorter texts are cut at
 * code-point boundaries (a surrogate pair is never split). Concatenating the pieces gives the text back exactly. Default 8 chunks: enough for a UI to show the answer
 * growing, few enough that a hit stays instant. Empty text gives no chunks.
 */
export function replayChunks(text: string, maxChunks = 8): string[] {
  if (text.length === 0) return [];
  const n = Math.max(1, Math.floor(maxChunks));
  const words = text.match(/\s*\S+\s*|\s+/gu) ?? [text];
  const units = words.length >= n ? words : Array.from(text);
  const per = Math.ceil(units.length / n);
  const out: string[] = [];
  for (let i = 0; i < units.length; i += per) out.push(units.slice(i, i + per).join(''));
  return out;
}
