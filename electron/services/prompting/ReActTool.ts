/**
 * A tool the ReAct agent may call. The model writes `{"tool": name, "input": "<string>"}` under a grammar in
 * which `tool` is an enum of the registered names, so it cannot call anything else.
 */
export interface ReActTool {
  /** Lower-case identifier, [a-z][a-z0-9_]{0,31}; "finish" is reserved for the final answer. */
  name: string;
  /** One line shown to the model: what it does and what the input looks like. */
  description: string;
  /**
   * Run the tool; the returned text becomes the Observation (truncated to the agent's `maxObservationChars`).
   * Throw `ToolInputError` for input the tool cannot handle (fed back to the model); anything else aborts.
   */
  run(input: string, context: { signal?: AbortSignal }): Promise<string>;
}
