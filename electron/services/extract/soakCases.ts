import { z } from 'zod';
import type { CompileJsonSchemaOptions } from '../constrain/index.js';
import type { ExtractionTarget } from './extract.js';
import type { SoakFeature } from './soakFeatures.js';

export interface SoakCase {
  name: string;
  /** The features a valid, completed run of this case counts as covering (see `soakFeatures`). */
  features: SoakFeature[];
  target: ExtractionTarget;
  /** Grammar whitespace for json-schema/zod/any-json/tools targets. Default `'compact'`. */
  whitespace?: CompileJsonSchemaOptions['whitespace'];
  /**
   * For features that a valid run can satisfy without exercising them (an optional recursion left out), a
   * regex the output must match for the run to count as covering the feature.
   */
  evidence?: Partial<Record<SoakFeature, RegExp>>;
  /** Token budget for this case; default the soak's `maxTokens`. Set where the shortest outputs are long. */
  maxTokens?: number;
  /**
   * Run this case on the random-weight qwen2 chat fixture instead of the soak's model. For languages that only
   * end by the model's choice of a token the stories llama never learned: its byte tokens for `}` and `@` are
   * untrained, so an object with open-ended keys (patternProperties) never closes on it.
   */
  model?: 'qwen-fixture';
}

const digit = { type: 'integer', minimum: 0, maximum: 9 } as const;

/**
 * Small targets that together cover every feature in `soakFeatures`, each designed to complete within its
 * token budget on a weak model (the 260K-parameter stories llama writes random-ish text): every free string
 * has a maxLength, every array a maxItems, recursion is optional and 1-wide, and formats sit in their own
 * small cases so one long value does not truncate its neighbours. Unbounded languages (uri, any-JSON, `{m,}`)
 * rely on the model ending them; their cases get a larger budget.
 */
export const soakCases: SoakCase[] = [
  {
    name: 'object: const, enum, required/optional, additionalProperties false, annotations',
    features: ['type', 'const', 'enum', 'required-optional', 'additionalProperties-false', 'properties-order', 'annotations-ignored', 'whitespace-compact'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        description: 'An invoice header (annotations constrain nothing).',
        properties: {
          kind: { const: 'invoice', description: 'always "invoice"' },
          status: { enum: ['paid', 'due', 'void'], default: 'due' },
          note: { type: 'string', maxLength: 6, default: 'none', examples: ['late'] },
          urgent: { type: 'boolean', default: false },
        },
        required: ['kind', 'status'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'integers: bounded and exclusive ranges, negative bounds',
    features: ['integer-bounds', 'exclusive-bounds', 'properties-order'],
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
    name: 'numbers: multipleOf, number range, oneOf, OpenAPI nullable',
    features: ['multipleOf', 'number', 'oneOf', 'nullable'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          step: { type: 'integer', multipleOf: 5 },
          ratio: { type: 'number', minimum: 0, maximum: 1 },
          pick: { oneOf: [digit, { type: 'boolean' }, { enum: ['n/a'] }] },
          opt: { type: 'integer', nullable: true, minimum: 0, maximum: 9 },
        },
        required: ['step', 'ratio', 'pick', 'opt'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'strings: code-point lengths, pattern',
    features: ['string-length', 'pattern'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          code: { type: 'string', pattern: '^[A-Z]{2}-\\d{3}$' },
          name: { type: 'string', minLength: 2, maxLength: 5 },
          tag: { type: 'string', pattern: '^[a-z]+$', maxLength: 4 },
        },
        required: ['code', 'name', 'tag'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'formats: date, uuid',
    features: ['format-date', 'format-uuid'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: { day: { type: 'string', format: 'date' }, id: { type: 'string', format: 'uuid' } },
        required: ['day', 'id'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'formats: time, date-time',
    features: ['format-time', 'format-date-time'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: { at: { type: 'string', format: 'time' }, when: { type: 'string', format: 'date-time' } },
        required: ['at', 'when'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'formats: ipv4, hostname',
    features: ['format-ipv4', 'format-hostname'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: { ip: { type: 'string', format: 'ipv4' }, host: { type: 'string', format: 'hostname' } },
        required: ['ip', 'host'],
        additionalProperties: false,
      },
    },
  },
  {
    // The stories llama never writes `@` on its own (untrained byte token): with no bound its local part
    // runs past any token budget. A maxLength makes the compiled grammar (email automaton × length
    // counter) close the local part in time, so `@` becomes the only legal next character. (The unbounded
    // email grammar is checked against ajv by the compiler's own grammar tests.)
    name: 'format: email with maxLength',
    features: ['format-email', 'string-length'],
    target: { kind: 'json-schema', schema: { type: 'string', format: 'email', minLength: 8, maxLength: 24 } },
  },
  {
    name: 'format: uri',
    features: ['format-uri'],
    target: { kind: 'json-schema', schema: { type: 'string', format: 'uri' } },
  },
  {
    name: 'format: ipv6',
    features: ['format-ipv6'],
    target: { kind: 'json-schema', schema: { type: 'string', format: 'ipv6' } },
  },
  {
    name: 'arrays: items with min/maxItems, prefixItems tuple',
    features: ['items', 'minItems-maxItems', 'prefixItems', 'boolean-schemas'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          tags: { type: 'array', items: { type: 'string', maxLength: 4 }, minItems: 1, maxItems: 3 },
          point: { type: 'array', prefixItems: [digit, { type: 'boolean' }], items: false },
        },
        required: ['tags', 'point'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'recursive $ref into $defs',
    features: ['$ref-$defs', 'recursive-ref'],
    evidence: { 'recursive-ref': /"kids":\[\{/ },
    target: {
      kind: 'json-schema',
      schema: {
        $defs: {
          node: {
            type: 'object',
            properties: { v: digit, kids: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 1 } },
            required: ['v'],
            additionalProperties: false,
          },
        },
        $ref: '#/$defs/node',
      },
    },
  },
  {
    // `[` (recurse) and `{` (stop) are both untrained byte tokens for the stories llama, so it picks either
    // with similar odds: the expected depth is small but recursion does happen (`{"tree":[[[{}]]]}`)
    name: 'recursive $ref: nested arrays ending in {}',
    features: ['$ref-$defs', 'recursive-ref', 'anyOf'],
    evidence: { 'recursive-ref': /\[\[/ },
    target: {
      kind: 'json-schema',
      schema: {
        $defs: {
          node: {
            anyOf: [
              { type: 'object', properties: {}, additionalProperties: false },
              { type: 'array', items: { $ref: '#/$defs/node' }, minItems: 1, maxItems: 1 },
            ],
          },
        },
        type: 'object',
        properties: { tree: { $ref: '#/$defs/node' } },
        required: ['tree'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'definitions (draft-07), anyOf, allOf',
    features: ['definitions', 'anyOf', 'allOf', 'nested-objects'],
    target: {
      kind: 'json-schema',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: { small: { type: 'integer', minimum: 0, maximum: 5 } },
        type: 'object',
        properties: {
          n: { $ref: '#/definitions/small' },
          either: { anyOf: [{ $ref: '#/definitions/small' }, { type: 'string', maxLength: 3 }] },
          both: {
            allOf: [
              { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'] },
              { properties: { a: true, b: { type: 'null' } }, required: ['b'], additionalProperties: false },
            ],
          },
        },
        required: ['n', 'either', 'both'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'type unions, boolean schemas',
    features: ['type-union', 'boolean-schemas'],
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          maybe: { type: ['string', 'null'], maxLength: 3 },
          num: { type: ['integer', 'boolean'], minimum: 0, maximum: 9 },
          flag: { allOf: [true, { type: 'boolean' }] },
          banned: false,
        },
        required: ['maybe', 'num', 'flag'],
        additionalProperties: false,
      },
    },
  },
  // Open-ended objects never close on the stories llama (see `model`), so additionalProperties is exercised
  // through allOf: the first branch's additionalProperties governs the keys the second branch declares.
  {
    name: 'objects: additionalProperties true (allOf-closed)',
    features: ['additionalProperties-true', 'allOf', 'nested-objects'],
    evidence: { 'additionalProperties-true': /"w":null/ },
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          meta: {
            allOf: [
              { type: 'object', properties: { v: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['v'], additionalProperties: true },
              { properties: { v: true, w: { type: 'null' } }, additionalProperties: false },
            ],
          },
        },
        required: ['meta'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'objects: additionalProperties schema (allOf-closed)',
    features: ['additionalProperties-schema', 'allOf'],
    target: {
      kind: 'json-schema',
      schema: {
        allOf: [
          { type: 'object', properties: { id: digit }, additionalProperties: { type: 'boolean' } },
          { properties: { id: true, ok: true, on: true }, required: ['id', 'ok'], additionalProperties: false },
        ],
      },
    },
  },
  {
    name: 'objects: patternProperties, nested objects (qwen fixture)',
    features: ['patternProperties', 'nested-objects'],
    model: 'qwen-fixture',
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: {
          env: { type: 'object', patternProperties: { '^x-[a-z]{1,2}$': { type: 'boolean' } }, additionalProperties: false },
          inner: {
            type: 'object',
            properties: { deep: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false } },
            required: ['deep'],
            additionalProperties: false,
          },
        },
        required: ['env', 'inner'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'pretty whitespace (bounded)',
    features: ['whitespace-pretty', 'properties-order'],
    evidence: { 'whitespace-pretty': /\n/ },
    whitespace: { pretty: { indent: 2, maxNewlines: 1 } },
    target: {
      kind: 'json-schema',
      schema: {
        type: 'object',
        properties: { ok: { type: 'boolean' }, n: digit, list: { type: 'array', items: digit, maxItems: 2 } },
        required: ['ok', 'n', 'list'],
        additionalProperties: false,
      },
    },
  },
  {
    name: 'zod schema',
    features: ['zod'],
    target: {
      kind: 'zod',
      schema: z.object({
        name: z.string().max(5),
        age: z.number().int().min(0).max(120),
        role: z.enum(['admin', 'user']),
        tags: z.array(z.enum(['a', 'b'])).max(2).optional(),
      }),
    },
  },
  { name: 'any-JSON mode', features: ['any-json'], target: { kind: 'any-json' }, maxTokens: 200 },
  {
    name: 'tool calling',
    features: ['tool-calling'],
    target: {
      kind: 'tools',
      tools: [
        {
          name: 'lookup',
          description: 'Find a document by id.',
          parameters: { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 99 } }, required: ['id'], additionalProperties: false },
        },
        {
          name: 'tag',
          parameters: {
            type: 'object',
            properties: { label: { enum: ['red', 'blue'] }, strong: { type: 'boolean' } },
            required: ['label'],
            additionalProperties: false,
          },
        },
      ],
    },
  },
  {
    name: 'regex: escapes, \\d, {m}',
    features: ['regex-escapes', 'regex-shorthands', 'regex-counted'],
    target: { kind: 'regex', pattern: '\\(\\d{3}\\) \\d{3}-\\d{4}' },
  },
  {
    name: 'regex: groups, alternation, classes, ranges, {m,n}, ?',
    features: ['regex-groups', 'regex-alternation', 'regex-classes', 'regex-ranges', 'regex-counted', 'regex-quantifiers'],
    target: { kind: 'regex', pattern: '(yes|no|maybe)-[a-f0-9]{2,4}(!|\\?)?' },
  },
  {
    name: 'regex: negated classes and shorthands, \\w \\s',
    features: ['regex-negated-classes', 'regex-negated-shorthands', 'regex-shorthands', 'regex-classes'],
    target: { kind: 'regex', pattern: '[^a-z\\s"]{1,2}\\D\\W\\S\\w\\s[^0-9]' },
  },
  {
    name: 'regex: lazy quantifiers, non-capturing groups, * +',
    features: ['regex-lazy', 'regex-non-capturing', 'regex-quantifiers'],
    target: { kind: 'regex', pattern: 'a+?(?:b|c)*?d??(?:x[0-9]){1,2}?' },
    maxTokens: 200,
  },
  {
    name: 'regex: anchors',
    features: ['regex-anchors', 'regex-alternation'],
    target: { kind: 'regex', pattern: '^(?:id|no)-\\d{2,4}$|^z$' },
  },
  {
    name: 'regex: {m,} ended by a forced-choice character',
    features: ['regex-counted', 'regex-ranges'],
    target: { kind: 'regex', pattern: '[A-Z][a-z]{2,}\\.' },
    maxTokens: 200,
  },
];
