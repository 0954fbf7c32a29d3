/**
 * Best-effort value of a JSON prefix, for streaming partial objects to the UI while a constrained generation
 * is still running: closes an open string, drops a dangling key or separator, and closes open brackets.
 * Returns undefined when nothing usable has arrived yet. Never used for the final value, which is parsed
 * strictly and validated.
 */
export function parsePartialJson(prefix: string): unknown {
  const text = prefix.trim();
  if (text === '') return undefined;
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') stack.pop();
  }
  let candidate = text;
  if (inString) candidate += escaped ? '\\"' : '"';
  // drop trailing tokens that cannot end a value: a separator, a key without its value, a partial literal
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const closed = candidate + [...stack].reverse().join('');
    try {
      return JSON.parse(closed);
    } catch {
      let trimmed = candidate;
      // a key still without its colon (only inside an object; in an array a string is a value)
      if (stack.at(-1) === '}') trimmed = trimmed.replace(/([{,])\s*"(?:[^"\\]|\\.)*"$/, (_m, open: string) => (open === '{' ? '{' : ''));
      trimmed = trimmed
        .replace(/,\s*$/, '')
        .replace(/,?\s*"(?:[^"\\]|\\.)*"\s*:\s*$/, '')
        .replace(/:\s*$/, '')
        .replace(/,?\s*(?:-?\d+\.?\d*[eE]?[+-]?|t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?)$/, '');
      if (trimmed === candidate) break;
      candidate = trimmed;
    }
  }
  return undefined;
}
