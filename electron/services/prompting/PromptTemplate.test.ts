import { describe, expect, it } from 'vitest';
import { PromptTemplate } from './PromptTemplate.js';
import { TemplateVariableMissingError } from './TemplateVariableMissingError.js';

describe('PromptTemplate', () => {
  const t = new PromptTemplate('qa', 'Context: {{context}}\nQ: {{ question }}\nUser: {{user.name}} ({{user.age}})');

  it('lists its variables and renders strings verbatim, numbers and objects as JSON', () => {
    expect(t.variables).toEqual(['context', 'question', 'user.name', 'user.age']);
    expect(t.render({ context: 'C', question: 'Why?', user: { name: 'Ann', age: 40 } })).toBe('Context: C\nQ: Why?\nUser: Ann (40)');
    expect(new PromptTemplate('j', '{{x}}').render({ x: { a: [1, 2] } })).toBe('{"a":[1,2]}');
  });

  it('throws TemplateVariableMissingError with template and variable for a missing variable', () => {
    let err: unknown;
    try {
      t.render({ context: 'C', user: { name: 'Ann', age: 1 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateVariableMissingError);
    const e = err as TemplateVariableMissingError;
    expect(e.code).toBe('TEMPLATE_VARIABLE_MISSING');
    expect(e.details).toEqual({ template: 'qa@v1', variable: 'question' });
    expect(() => t.render({ context: 'C', question: 'q', user: {} })).toThrow(/user\.name/);
  });

  it('does not re-expand placeholders inside values, and honours \\{{ escapes', () => {
    expect(new PromptTemplate('x', '{{a}} \\{{b}}').render({ a: '{{b}}' })).toBe('{{b}} {{b}}');
  });

  it('versions: revise bumps the version and the hash tracks the wording', () => {
    const v2 = t.revise(t.text + '!');
    expect(v2.version).toBe(2);
    expect(v2.name).toBe('qa');
    expect(v2.hash).not.toBe(t.hash);
    expect(new PromptTemplate('other', t.text).hash).toBe(t.hash);
    expect(() => new PromptTemplate('bad', 'x', 0)).toThrow(RangeError);
  });
});
