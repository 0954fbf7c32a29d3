import { z } from 'zod';
import type { ExtractionTarget } from './extract.js';

/**
 * Targets covering every feature the compiler supports, for the extraction soak: each run generates under the
 * compiled grammar and the output is checked by an independent validator. Strings are length-bounded so a
 * weak model still finishes within the token budget.
 */
export const soakCases: { name: string; target: ExtractionTarget }[] = [
  {
    name: 'object: required/optional, enum, const, additionalProperties false',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          kind: { const: 'invoice' },
          status: { enum: ['paid', 'due', 'void'] },
          note: { type: 'string', maxLength: 8 },
          urgent: { type: 'boolean' },
        },
        required: ['kind', 'status'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'integers: bounded and exclusive ranges, negative bounds',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          qty: { type: 'integer', minimum: -20, maximum: 305 },
          pct: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 100 },
          year: { type: 'integer', minimum: 1900, maximum: 2100 },
          delta: { type: 'integer', minimum: -999, maximum: -10 },
        },
        required: ['qty', 'pct', 'year', 'delta'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'strings: code-point lengths, pattern, formats',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          code: { type: 'string', pattern: '^[A-Z]{2}-\\d{3}$' },
          name: { type: 'string', minLength: 2, maxLength: 6 },
          day: { type: 'string', format: 'date' },
          id: { type: 'string', format: 'uuid' },
          mail: { type: 'string', format: 'email' },
        },
        required: ['code', 'name', 'day', 'id', 'mail'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'arrays: items with min/maxItems, tuples',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 1, maxItems: 3 },
          point: { type: 'array', prefixItems: [{ type: 'integer', minimum: 0, maximum: 9 }, { type: 'boolean' }], items: false },
        },
        required: ['tags', 'point'],
        additionalProperties: false,
      },
    },
  },
  {
    name: '$ref/$defs (recursive), anyOf, allOf, nullable type unions',
    target: {
      kind: 'json-schema',
      schema: {
        $defs: {
          node: {
            type: 'object',
            properties: { v: { type: 'integer', minimum: 0, maximum: 9 }, kids: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 1 } },
            required: ['v'],
            additionalProperties: false,
          },
        },
        type: 'object',
        properties: {
          tree: { $ref: '#/$defs/node' },
          either: { anyOf: [{ type: 'integer', minimum: 0, maximum: 5 }, { type: 'string', maxLength: 3 }] },
          both: { allOf: [{ type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'] }, { properties: { b: { type: 'null' } }, required: ['b'] }] },
          maybe: { type: ['string', 'null'], maxLength: 4 },
        },
        required: ['tree', 'either', 'both', 'maybe'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'objects: additionalProperties true/schema, patternProperties, nested objects',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          meta: { type: 'object', properties: { v: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['v'], additionalProperties: true },
          counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 9 } },
          env: { type: 'object', patternProperties: { '^x-[a-z]{1,3}$': { type: 'boolean' } }, additionalProperties: false },
          inner: { type: 'object', properties: { deep: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } }, required: ['deep'], additionalProperties: false },
        },
        required: ['meta', 'counts', 'env', 'inner'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'numbers: multipleOf, number ranges, oneOf, OpenAPI nullable',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          step: { type: 'integer', multipleOf: 5 },
          ratio: { type: 'number', minimum: 0, maximum: 1 },
          pick: { oneOf: [{ type: 'integer', minimum: 0, maximum: 9 }, { type: 'boolean' }, { enum: ['n/a'] }] },
          opt: { type: 'integer', nullable: true, minimum: 0, maximum: 9 },
        },
        required: ['step', 'ratio', 'pick', 'opt'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'formats: time, date-time, ipv4, hostname',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'time' },
          when: { type: 'string', format: 'date-time' },
          ip: { type: 'string', format: 'ipv4' },
          host: { type: 'string', format: 'hostname' },
        },
        required: ['at', 'when', 'ip', 'host'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'zod schema',
    target: {
      kind: 'zod',
      schema: z.object({ name: z.string().max(6), age: z.number().int().min(0).max(120), role: z.enum(['admin', 'user']) }),
    },
  },
  { name: 'regex: phone number', target: { kind: 'regex', pattern: '\\(\\d{3}\\) \\d{3}-\\d{4}' } },
  { name: 'regex: alternation, classes, bounded repeats', target: { kind: 'regex', pattern: '(yes|no|maybe)-[a-f0-9]{2,4}(!|\\?)?' } },
];
