import { describe, expect, it } from 'vitest';
import { AnswerExtractionError } from './AnswerExtractionError.js';
import { calculatorTool } from './calculatorTool.js';
import { dateTool } from './dateTool.js';
import { documentSearchTool } from './documentSearchTool.js';
import { ReActAgent, type ReActStep } from './ReActAgent.js';
import { scriptedGenerate, type ScriptedReply } from './scriptedGenerate.js';
import type { ReActTool } from './ReActTool.js';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const docs = [
  { text: 'The Hearth office opened in 2019 in Leeds.', source: 'about.md' },
  { text: 'Support hours are 9 to 5.', source: 'support.md' },
];
const search = documentSearchTool(async (q, k) => docs.filter((d) => q.split(' ').some((w) => d.text.toLowerCase().includes(w.toLowerCase()))).slice(0, k));
const tools = () => [search, calculatorTool(), dateTool({ now: () => NOW })];

/** Thoughts (no grammar) and actions (grammar) from two scripts. */
const agentScript = (thoughts: string[], actions: ScriptedReply[]) => {
  let t = 0;
  let a = 0;
  return scriptedGenerate((req) => (req.grammar === undefined ? (thoughts[t++] ?? 'thinking') : actions[a++]!));
};

describe('ReActAgent', () => {
  it('runs Thought / Action / Observation until finish and returns the trajectory, streaming each step', async () => {
    const gen = agentScript(
      ['I should find when the office opened.', 'Now compute the years since then.', 'I know the answer.'],
      ['{"tool":"search","input":"office opened"}', '{"tool":"calculator","input":"2026 - 2019"}', '{"tool":"finish","input":"7 years"}'],
    );
    const streamed: ReActStep[] = [];
    const r = await new ReActAgent({ generate: gen, tools: tools() }).run('How many years has the office been open?', { onStep: (s) => streamed.push(s) });
    expect(r.stopReason).toBe('finish');
    expect(r.answer).toBe('7 years');
    expect(r.steps.map((s) => s.action?.tool)).toEqual(['search', 'calculator', 'finish']);
    expect(r.steps[0]!.observation).toBe('[1] (about.md) The Hearth office opened in 2019 in Leeds.');
    expect(r.steps[1]!.observation).toBe('7');
    expect(streamed).toEqual(r.steps);
    // each action was generated under the same grammar, whose tool enum is exactly the registered tools + finish
    const actionRequests = gen.requests.filter((q) => q.grammar !== undefined);
    expect(actionRequests).toHaveLength(3);
    const toolAlternatives = /"\\x22tool\\x22" ":" \(([^)]*)\)/.exec(actionRequests[0]!.grammar!)![1]!;
    expect(toolAlternatives.split('|').map((s) => s.trim().slice(5, -5)).sort()).toEqual(['calculator', 'date', 'finish', 'search']);
    expect(actionRequests[0]!.temperature).toBe(0);
    // the transcript carries the observations forward
    const last = actionRequests[2]!.prompt!;
    expect(last).toContain('Observation: 7');
    expect(last).toContain('Observation: [1] (about.md)');
    expect(last.endsWith('Thought: I know the answer.\nAction: ')).toBe(true);
    expect(r.usage.calls).toBe(6);
    expect(r.steps.reduce((s, x) => s + x.promptTokens + x.completionTokens, 0)).toBe(r.usage.promptTokens + r.usage.completionTokens);
  });

  it('feeds a tool input error back as an observation and keeps going', async () => {
    const gen = agentScript([], ['{"tool":"calculator","input":"2 +* 3"}', '{"tool":"date","input":"today + 3 days"}', '{"tool":"finish","input":"2026-11-30"}']);
    const r = await new ReActAgent({ generate: gen, tools: tools() }).run('When is three days from now?');
    expect(r.steps[0]!.observationError).toMatchObject({ code: 'INVALID_INPUT' });
    expect(r.steps[0]!.observation).toMatch(/^Error: calculator: unexpected "\*"/);
    expect(r.steps[1]!.observation).toBe('2026-11-30 (Monday)');
    expect(r.answer).toBe('2026-11-30');
  });

  it('stops at the step limit with the partial trajectory', async () => {
    const gen = agentScript([], Array.from({ length: 10 }, () => '{"tool":"calculator","input":"1+1"}'));
    const r = await new ReActAgent({ generate: gen, tools: tools(), maxSteps: 3 }).run('loop');
    expect(r).toMatchObject({ stopReason: 'step-limit', answer: null });
    expect(r.steps).toHaveLength(3);
    expect(gen.requests).toHaveLength(6);
  });

  it('stops at the token limit and at the cost limit before spending more', async () => {
    const gen = agentScript([], Array.from({ length: 10 }, () => '{"tool":"calculator","input":"1+1"}'));
    const r = await new ReActAgent({ generate: gen, tools: tools(), maxTotalTokens: 150 }).run('loop');
    expect(r.stopReason).toBe('token-limit');
    expect(r.usage.promptTokens + r.usage.completionTokens).toBeGreaterThanOrEqual(150);
    // the run stopped as soon as the limit was reached: without the last call it was still under
    const lastCall = r.steps.at(-1)!;
    expect(r.usage.promptTokens + r.usage.completionTokens - (lastCall.action === null ? lastCall.promptTokens + lastCall.completionTokens : 0)).toBeGreaterThan(0);

    let calls = 0;
    const priced = scriptedGenerate((req) => {
      calls++;
      return { text: req.grammar ? '{"tool":"calculator","input":"2*2"}' : 'hmm', costMicros: 400 };
    });
    const c = await new ReActAgent({ generate: priced, tools: tools(), maxCostMicros: 1000 }).run('q');
    expect(c.stopReason).toBe('cost-limit');
    expect(c.usage.costMicros).toBe(1200);
    expect(calls).toBe(3); // thought(400) action(400) thought(1200 ≥ 1000) → no further action call
    expect(c.steps.at(-1)!.action).toBeNull();
  });

  it('rejects an action outside the grammar contract (unknown tool) with a typed error', async () => {
    const gen = agentScript([], ['{"tool":"shell","input":"rm -rf /"}']);
    const err = await new ReActAgent({ generate: gen, tools: tools() }).run('q').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerExtractionError);
    expect(err).toMatchObject({ step: 'action' });
  });

  it('propagates non-input tool failures, and validates tool names', async () => {
    const broken: ReActTool = { name: 'search', description: 'x', run: async () => { throw new Error('index offline'); } };
    const gen = agentScript([], ['{"tool":"search","input":"x"}']);
    await expect(new ReActAgent({ generate: gen, tools: [broken] }).run('q')).rejects.toThrow('index offline');
    expect(() => new ReActAgent({ generate: gen, tools: [{ ...broken, name: 'finish' }] })).toThrow(/Invalid tool name/);
    expect(() => new ReActAgent({ generate: gen, tools: [broken, broken] })).toThrow(/Duplicate/);
  });

  it('passes the run\'s AbortSignal to every generation and tool call', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const probe: ReActTool = { name: 'probe', description: 'p', run: async (_input, { signal }) => { seen.push(signal); return 'ok'; } };
    const gen = agentScript([], ['{"tool":"probe","input":"x"}', '{"tool":"finish","input":"done"}']);
    await new ReActAgent({ generate: gen, tools: [probe] }).run('q', { signal: controller.signal });
    expect(gen.requests.every((q) => q.signal === controller.signal)).toBe(true);
    expect(seen).toEqual([controller.signal]);
  });
});
