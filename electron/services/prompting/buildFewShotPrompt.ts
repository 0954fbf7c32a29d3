export type FewShotExample = { input: string; output: string };

export type FewShotOptions = {
  /** What the model should do, stated once at the top. */
  instruction: string;
  examples: readonly FewShotExample[];
  /** The new input to answer. */
  query: string;
  /** Labels in front of each input/output. Defaults "Input" / "Output". */
  inputLabel?: string;
  outputLabel?: string;
  /** Line between examples. Default "###": unambiguous for small models and rarely in user text. */
  separator?: string;
};

/**
 * Few-shot prompt: instruction, then numbered examples separated by `separator`, then the query
 * with an empty output label for the model to complete. Examples are kept in the given order (put
 * the most similar last: small models copy the nearest example's format most). Multi-line inputs
 * stay intact; a separator line occurring inside an example would be ambiguous, so it throws.
 */
export function buildFewShotPrompt(options: FewShotOptions): string {
  const sep = options.separator ?? '###';
  const inLabel = options.inputLabel ?? 'Input';
  const outLabel = options.outputLabel ?? 'Output';
  const sepLine = new RegExp(`^\\s*${sep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');
  const parts: string[] = [options.instruction.trim()];
  options.examples.forEach((ex, i) => {
    if (sepLine.test(ex.input) || sepLine.test(ex.output)) throw new RangeError(`few-shot example ${i + 1} contains the separator line "${sep}"`);
    parts.push(`${sep}\nExample ${i + 1}\n${inLabel}: ${ex.input}\n${outLabel}: ${ex.output}`);
  });
  parts.push(`${sep}\n${inLabel}: ${options.query}\n${outLabel}:`);
  return parts.join('\n\n');
}
