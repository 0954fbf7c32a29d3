import { evaluateArithmetic } from './evaluateArithmetic.js';
import type { ReActTool } from './ReActTool.js';

/** Safe arithmetic for the ReAct agent (`evaluateArithmetic`: a parser, never eval). Results print with ≤ 12 significant digits. */
export function calculatorTool(): ReActTool {
  return {
    name: 'calculator',
    description: 'Evaluates arithmetic, e.g. "(12.5 * 4) / 2" or "sqrt(2) ^ 2". Operators + - * / % ^, functions sqrt abs round floor ceil min max.',
    async run(input) {
      return String(Number(evaluateArithmetic(input).toPrecision(12)));
    },
  };
}
