import type { z } from 'zod';

/** One request/response channel: the input and output schemas are the single source of truth for both sides. */
export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One sentence for docs and the CLI's help. */
  readonly summary: string;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): ChannelDef<I, O> {
  return { input, output, summary };
}
