import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { GbnfBuilder, RuleBudgetExceeded, classChar, gbnfLiteral } from './GbnfBuilder.js';
import { SchemaCompileError } from './SchemaCompileError.js';
import { SchemaInvalidError } from './SchemaInvalidError.js';
import { SchemaUnsatisfiableError } from './SchemaUnsatisfiableError.js';
import { EMAIL_DFA, FORMAT_LENGTHS, formatGbnf, isSupportedFormat } from './formatGbnf.js';
import { lengthBoundedDfaGbnf } from './lengthBoundedDfaGbnf.js';
import { integerRangeGbnf } from './integerRangeGbnf.js';
import { RegexUnsupportedError, regexToGbnf } from '../regex/index.js';

export interface CompileJsonSchemaOptions {
  /**
   * Whitespace the grammar allows between tokens. Default `'compact'`: none at all, which is the
   * cheapest to sample and what `JSON.stringify` produces. `pretty` allows, between tokens, either one
   * optional space or up to `maxNewlines` (default 1) newlines each followed by up to `indent * 10` spaces —
   * bounded so a model can never loop on whitespace.
   */
  whitespace?: 'compact' | { pretty: { indent: number; maxNewlines?: number } };
  /**
   * Default false: any keyword the grammar cannot enforce exactly is a `SchemaCompileError`.
   * When true, such keywords are dropped from the grammar (which then accepts a superset) and listed in
   * `postValidation`; the caller must validate the output against the schema afterwards.
   */
  allowPostValidation?: boolean;
  /** Upper bound on generated rules (default 20,000); beyond it compilation fails with SCHEMA_UNSUPPORTED. */
  maxRules?: number;
}

export interface CompiledJsonSchema {
  gbnf: string;
  /** Keywords (with JSON pointers into the schema) the grammar does not enforce; empty unless `allowPostValidation`. */
  postValidation: Array<{ keyword: string; pointer: string }>;
  /** sha256 of the grammar text (cache key for compiled grammars). */
  grammarHash: string;
  /** sha256 of the canonical (key-sorted) schema JSON plus the options. */
  schemaHash: string;
}

type Schema = boolean | { [k: string]: unknown };
type Obj = { [k: string]: unknown };

/** Keywords that never constrain an instance (annotations, identifiers, containers handled elsewhere). */
const IGNORED = new Set([
  'title', 'description', 'default', 'examples', 'example', '$comment', '$schema', '$id', 'id', 'deprecated',
  'readOnly', 'writeOnly', 'readonly', 'contentEncoding', 'contentMediaType', 'contentSchema', '$anchor',
  '$dynamicAnchor', '$vocabulary', '$defs', 'definitions', 'discriminator', 'xml', 'externalDocs', '$recursiveAnchor',
]);
/** Standard vocabulary keywords this compiler understands (possibly only in some combinations). */
const HANDLED = new Set([
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'patternProperties', 'items',
  'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'format',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', '$ref', 'allOf', 'anyOf', 'oneOf',
  'nullable', 'minProperties', 'maxProperties', 'uniqueItems', 'not', 'if', 'then', 'else', 'dependencies',
  'dependentRequired', 'dependentSchemas', 'propertyNames', 'contains', 'minContains', 'maxContains',
  'unevaluatedProperties', 'unevaluatedItems', '$dynamicRef', '$recursiveRef',
]);
const TYPES = ['null', 'boolean', 'object', 'array', 'string', 'number'] as const;
type JsonType = (typeof TYPES)[number] | 'integer';

/**
 * Compiles a JSON Schema (drafts 4 to 2020-12, plus OpenAPI `nullable`) into a GBNF grammar for llama.cpp
 * whose language is exactly the compact JSON serializations of valid instances — or a subset of them,
 * never a superset. Known narrowings: object keys must follow `properties` order; strings use canonical
 * JSON escapes only (no `\/`, no lone surrogates); numbers with bounds have no exponent; a few format
 * narrowings (see `formatGbnf`). Anything that cannot be enforced throws `SchemaCompileError`
 * (`SCHEMA_UNSUPPORTED`, with the keyword and JSON pointer) unless `allowPostValidation` is set.
 * @throws SchemaCompileError | SchemaInvalidError | SchemaUnsatisfiableError
 */
export function compileJsonSchema(schema: unknown, options: CompileJsonSchemaOptions = {}): CompiledJsonSchema {
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    throw new SchemaInvalidError('schema', '', 'a schema must be an object or a boolean');
  }
  const compiler = new Compiler(schema as Schema, options);
  let gbnf: string;
  try {
    gbnf = compiler.compile();
  } catch (e) {
    if (e instanceof RuleBudgetExceeded) {
      throw new SchemaCompileError('maxRules', '', `Grammar for this schema exceeds ${e.maxRules} rules`);
    }
    throw e;
  }
  return {
    gbnf,
    postValidation: compiler.postValidation,
    grammarHash: sha256(gbnf),
    schemaHash: sha256(canonicalJson({ schema, options })),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal schemas hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function ptrJoin(ptr: string, ...parts: Array<string | number>): string {
  return ptr + parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Thrown internally when a merge (allOf) meets something it cannot combine exactly. */
class MergeUnsupported extends Error {
  constructor(readonly keyword: string) {
    super(keyword);
  }
}

class Compiler {
  readonly postValidation: Array<{ keyword: string; pointer: string }> = [];
  private readonly b: GbnfBuilder;
  private readonly W: string;
  private readonly refRules = new Map<string, string | null>();
  private readonly refInProgress = new Set<string>();
  private ajv: Ajv2020 | undefined;

  constructor(
    private readonly root: Schema,
    private readonly options: CompileJsonSchemaOptions,
  ) {
    this.b = new GbnfBuilder(options.maxRules ?? 20_000);
    const ws = options.whitespace ?? 'compact';
    if (ws === 'compact') this.W = ' ';
    else {
      const indent = Math.max(0, Math.floor(ws.pretty.indent));
      const nl = Math.max(1, Math.floor(ws.pretty.maxNewlines ?? 1));
      this.b.fixed('ws', () => `( [ ]? | ( "\\n" [ ]{0,${indent * 10}} ){1,${nl}} )`);
      this.W = ' ws ';
    }
  }

  /** Why the most recent sub-language came out empty (reported if the whole schema is unsatisfiable). */
  private lastEmpty: { keyword: string; pointer: string; reason: string } | undefined;

  /** An empty language: inside unions it just drops a branch; at the root it becomes SCHEMA_UNSATISFIABLE. */
  private empty(keyword: string, pointer: string, reason: string): null {
    this.lastEmpty = { keyword, pointer, reason };
    return null;
  }

  compile(): string {
    const expr = this.gen(this.root, '');
    if (expr === null) {
      const why = this.lastEmpty;
      throw new SchemaUnsatisfiableError(why?.keyword ?? 'schema', why?.pointer ?? '', why?.reason ?? 'no JSON value satisfies the schema');
    }
    return this.b.toString(expr);
  }

  // ---- error helpers -------------------------------------------------------------------------

  /** Records or throws for a keyword we cannot enforce. Returns normally only in post-validation mode. */
  private unsupported(keyword: string, pointer: string, why?: string): void {
    if (!this.options.allowPostValidation) {
      throw new SchemaCompileError(keyword, pointer, why ? `Keyword "${keyword}" at "${pointer || '#'}": ${why}` : undefined);
    }
    if (!this.postValidation.some((p) => p.keyword === keyword && p.pointer === pointer)) {
      this.postValidation.push({ keyword, pointer });
    }
  }

  // ---- primitives ----------------------------------------------------------------------------

  /** A JSON string char, lenient escapes (any valid escape except lone surrogates). Counts as one code point. */
  private char(): string {
    return this.b.fixed('char', () => {
      const hex = '[0-9a-fA-F]';
      return (
        `[^"\\\\\\x00-\\x1f] | "\\\\" ( ["\\\\/bfnrt] | "u" ( [0-9a-cA-CefEF] ${hex}{3} | [dD] [0-7] ${hex}{2} ) | ` +
        `"u" [dD] [89abAB] ${hex}{2} "\\\\u" [dD] [c-fC-F] ${hex}{2} )`
      );
    });
  }

  private string(): string {
    return this.b.fixed('string', () => `"\\"" ${this.char()}* "\\""`);
  }

  private integer(): string {
    return this.b.fixed('integer', () => '"-"? ( "0" | [1-9] [0-9]* )');
  }

  private number(): string {
    return this.b.fixed('number', () => '"-"? ( "0" | [1-9] [0-9]* ) ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?');
  }

  /** Any JSON value. */
  value(): string {
    const W = this.W;
    return this.b.fixed('value', () => {
      const obj = this.b.fixed(
        'object',
        () => `"{"${W}( ${this.string()}${W}":"${W}value (${W}","${W}${this.string()}${W}":"${W}value )*${W})? "}"`,
      );
      const arr = this.b.fixed('array', () => `"["${W}( value (${W}","${W}value )*${W})? "]"`);
      return `${obj} | ${arr} | ${this.string()} | ${this.number()} | "true" | "false" | "null"`;
    });
  }

  // ---- references ----------------------------------------------------------------------------

  private resolvePointer(ref: string, at: string): { schema: Schema; pointer: string } {
    if (!ref.startsWith('#')) throw new SchemaCompileError('$ref', at, `Only local "#..." references are supported, got "${ref}"`);
    const frag = decodeURIComponent(ref.slice(1));
    if (frag !== '' && !frag.startsWith('/')) {
      // $anchor-style reference: find a subschema with that $anchor or legacy id "#name"
      const found = this.findAnchor(this.root, '', frag);
      if (!found) throw new SchemaInvalidError('$ref', at, `anchor "${frag}" not found`);
      return found;
    }
    let cur: unknown = this.root;
    const parts = frag === '' ? [] : frag.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (const p of parts) {
      if (Array.isArray(cur)) cur = cur[Number(p)];
      else if (isObj(cur)) cur = cur[p];
      else cur = undefined;
      if (cur === undefined) throw new SchemaInvalidError('$ref', at, `reference "${ref}" does not resolve`);
    }
    if (typeof cur !== 'boolean' && !isObj(cur)) throw new SchemaInvalidError('$ref', at, `reference "${ref}" is not a schema`);
    return { schema: cur, pointer: frag };
  }

  private findAnchor(s: unknown, ptr: string, name: string, depth = 0): { schema: Schema; pointer: string } | undefined {
    if (depth > 64 || !isObj(s)) return undefined;
    if (s.$anchor === name || s.id === '#' + name || s.$id === '#' + name) return { schema: s, pointer: ptr };
    for (const [k, v] of Object.entries(s)) {
      if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') continue;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const f = this.findAnchor(v[i], ptrJoin(ptr, k, i), name, depth + 1);
          if (f) return f;
        }
      } else if (isObj(v)) {
        const f = this.findAnchor(v, ptrJoin(ptr, k), name, depth + 1);
        if (f) return f;
      }
    }
    return undefined;
  }

  /** A rule for the referenced schema; recursion-safe (the rule name is reserved before generation). */
  private refRule(ref: string, at: string): string | null {
    const { schema, pointer } = this.resolvePointer(ref, at);
    const key = pointer;
    if (this.refRules.has(key)) {
      const name = this.refRules.get(key)!;
      if (name === null) return null;
      return name;
    }
    const name = this.b.reserve('ref-' + (pointer.split('/').pop() || 'root'));
    this.refRules.set(key, name);
    this.refInProgress.add(key);
    const expr = this.gen(schema, pointer);
    this.refInProgress.delete(key);
    if (expr === null) {
      // A recursive reference to an empty language is itself empty; earlier users of `name` would
      // dangle, so define it as an unmatchable-but-valid rule is not possible in GBNF: report instead.
      this.refRules.set(key, null);
      throw new SchemaUnsatisfiableError('$ref', at, `referenced schema "${ref}" accepts no value`);
    }
    this.b.define(name, expr);
    return name;
  }

  // ---- normalization -------------------------------------------------------------------------

  /**
   * Shallow draft normalization of one schema node to 2020-12 forms: draft-4 boolean exclusive bounds,
   * tuple `items` arrays, `nullable`, `const` → one-value `enum`. Validates keyword value types.
   */
  private normalize(s: Obj, ptr: string): Obj {
    const n: Obj = { ...s };
    const num = (k: string): void => {
      if (n[k] !== undefined && (typeof n[k] !== 'number' || !Number.isFinite(n[k]))) {
        throw new SchemaInvalidError(k, ptrJoin(ptr, k), 'must be a number');
      }
    };
    const nonNegInt = (k: string): void => {
      if (n[k] !== undefined && !(typeof n[k] === 'number' && Number.isInteger(n[k]) && (n[k] as number) >= 0)) {
        throw new SchemaInvalidError(k, ptrJoin(ptr, k), 'must be a non-negative integer');
      }
    };
    if (typeof n.exclusiveMinimum === 'boolean') {
      if (n.exclusiveMinimum && n.minimum !== undefined) {
        n.exclusiveMinimum = n.minimum;
        delete n.minimum;
      } else delete n.exclusiveMinimum;
    }
    if (typeof n.exclusiveMaximum === 'boolean') {
      if (n.exclusiveMaximum && n.maximum !== undefined) {
        n.exclusiveMaximum = n.maximum;
        delete n.maximum;
      } else delete n.exclusiveMaximum;
    }
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']) num(k);
    if (typeof n.multipleOf === 'number' && n.multipleOf <= 0) throw new SchemaInvalidError('multipleOf', ptrJoin(ptr, 'multipleOf'), 'must be > 0');
    for (const k of ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']) nonNegInt(k);
    if (Array.isArray(n.items)) {
      n.prefixItems = n.items;
      if (n.additionalItems !== undefined) n.items = n.additionalItems;
      else delete n.items;
      n.__tupleFromItems = true;
    }
    delete n.additionalItems; // only meaningful with array-form items (handled above)
    if ('const' in n) {
      if (n.enum !== undefined) {
        if (!Array.isArray(n.enum)) throw new SchemaInvalidError('enum', ptrJoin(ptr, 'enum'), 'must be an array');
        n.enum = n.enum.filter((v) => deepEqual(v, n.const));
      } else n.enum = [n.const];
      delete n.const;
    }
    if (n.enum !== undefined && !Array.isArray(n.enum)) throw new SchemaInvalidError('enum', ptrJoin(ptr, 'enum'), 'must be an array');
    if (n.type !== undefined) {
      const ts = Array.isArray(n.type) ? n.type : [n.type];
      for (const t of ts) {
        if (typeof t !== 'string' || ![...TYPES, 'integer'].includes(t as JsonType)) {
          throw new SchemaInvalidError('type', ptrJoin(ptr, 'type'), `unknown type ${JSON.stringify(t)}`);
        }
      }
    }
    if (n.nullable === true && n.type !== undefined) {
      const ts = Array.isArray(n.type) ? n.type : [n.type];
      if (!ts.includes('null')) n.type = [...ts, 'null'];
      if (Array.isArray(n.enum) && !n.enum.includes(null)) n.enum = [...n.enum, null];
    }
    delete n.nullable;
    if (n.required !== undefined && (!Array.isArray(n.required) || n.required.some((r) => typeof r !== 'string'))) {
      // draft-3 style boolean `required` inside properties: not draft 4+; treat as invalid
      throw new SchemaInvalidError('required', ptrJoin(ptr, 'required'), 'must be an array of strings');
    }
    for (const k of ['properties', 'patternProperties', 'dependentSchemas']) {
      if (n[k] !== undefined && !isObj(n[k])) throw new SchemaInvalidError(k, ptrJoin(ptr, k), 'must be an object');
    }
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      if (n[k] !== undefined && (!Array.isArray(n[k]) || (n[k] as unknown[]).length === 0)) {
        throw new SchemaInvalidError(k, ptrJoin(ptr, k), 'must be a non-empty array');
      }
    }
    if (n.if !== undefined && n.then === undefined && n.else === undefined) delete n.if;
    if (n.if === undefined) {
      delete n.then;
      delete n.else;
    }
    if (n.uniqueItems === false) delete n.uniqueItems;
    if (n.minProperties === 0) delete n.minProperties;
    if (n.minItems === 0) delete n.minItems;
    if (n.minLength === 0) delete n.minLength;
    if (n.format !== undefined && typeof n.format !== 'string') throw new SchemaInvalidError('format', ptrJoin(ptr, 'format'), 'must be a string');
    if (n.pattern !== undefined && typeof n.pattern !== 'string') throw new SchemaInvalidError('pattern', ptrJoin(ptr, 'pattern'), 'must be a string');
    for (const k of ['properties', 'patternProperties', 'additionalProperties', 'items', 'not', 'if', 'then', 'else', 'propertyNames', 'contains']) {
      const v = n[k];
      if (v === undefined) continue;
      if (k === 'properties' || k === 'patternProperties') {
        for (const [pk, pv] of Object.entries(v as Obj)) {
          if (typeof pv !== 'boolean' && !isObj(pv)) throw new SchemaInvalidError(k, ptrJoin(ptr, k, pk), 'must be a schema');
        }
      } else if (typeof v !== 'boolean' && !isObj(v)) throw new SchemaInvalidError(k, ptrJoin(ptr, k), 'must be a schema');
    }
    return n;
  }

  /** Does this (normalized) node carry any constraint besides the listed keys? */
  private static constrainingKeys(n: Obj): string[] {
    return Object.keys(n).filter((k) => HANDLED.has(k));
  }

  // ---- main dispatch -------------------------------------------------------------------------

  /** GBNF expression for instances of `s`, or null when no instance exists. */
  gen(s: Schema, ptr: string): string | null {
    if (s === true) return this.value();
    if (s === false) return null;
    let n = this.normalize(s, ptr);

    // A finite candidate set (enum/const here or in a direct allOf branch): the language is exactly the
    // candidates that validate against the whole node, decided by ajv — exact for every keyword ajv knows.
    const candidates = this.enumCandidates(n, ptr);
    if (candidates !== undefined) {
      const rest = { ...n };
      delete rest.enum;
      const values = Compiler.constrainingKeys(rest).length > 0 ? candidates.filter((v) => this.validates(n, v, ptr)) : candidates;
      if (values.length === 0) return null;
      const lits = [...new Set(values.map((v) => this.literal(v)))];
      return lits.length === 1 ? lits[0]! : `( ${lits.join(' | ')} )`;
    }

    // $ref with siblings: 2019+ semantics (conjunction). For draft 4-7 siblings are usually annotations.
    if (typeof n.$ref === 'string') {
      const siblings = Compiler.constrainingKeys(n).filter((k) => k !== '$ref');
      if (siblings.length === 0) return this.refRule(n.$ref, ptrJoin(ptr, '$ref'));
      const { schema: target } = this.resolvePointer(n.$ref, ptrJoin(ptr, '$ref'));
      const rest = { ...n };
      delete rest.$ref;
      n = this.mergeOrFail([rest, target], ptr, '$ref');
    } else if (n.$ref !== undefined) {
      throw new SchemaInvalidError('$ref', ptrJoin(ptr, '$ref'), 'must be a string');
    }
    if (n === (false as unknown)) return null;

    n = this.rewriteDependencies(n, ptr);

    if (Array.isArray(n.allOf)) {
      const parts: Schema[] = (n.allOf as Schema[]).map((x) => x);
      const rest = { ...n };
      delete rest.allOf;
      const merged = this.mergeOrFail([rest, ...parts], ptr, 'allOf');
      return this.genMerged(merged, ptr);
    }

    for (const k of ['if', 'unevaluatedProperties', 'unevaluatedItems', '$dynamicRef', '$recursiveRef']) {
      if (n[k] !== undefined) {
        this.unsupported(k, ptrJoin(ptr, k));
        delete n[k];
        if (k === 'if') {
          delete n.then;
          delete n.else;
        }
      }
    }

    if (n.not !== undefined) {
      n = this.applyNot(n, ptr);
      if (Array.isArray(n.allOf)) return this.gen(n, ptr);
    }

    if (Array.isArray(n.anyOf) || Array.isArray(n.oneOf)) return this.genUnion(n, ptr);

    if (Array.isArray(n.enum)) return this.genEnum(n, ptr);

    return this.genTyped(n, ptr);
  }

  /**
   * `dependencies` / `dependentRequired` / `dependentSchemas` as unions on presence: "if `a` is present then S"
   * is exactly `anyOf: [{properties: {a: false}}, {required: [a], allOf: [S]}]` (the branches are disjoint).
   * Up to 4 dependencies (16 combinations after merging); more are refused.
   */
  private rewriteDependencies(n: Obj, ptr: string): Obj {
    const deps: Array<[string, Schema | string[], string]> = [];
    for (const kw of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
      const d = n[kw];
      if (d === undefined) continue;
      if (!isObj(d)) throw new SchemaInvalidError(kw, ptrJoin(ptr, kw), 'must be an object');
      for (const [k, v] of Object.entries(d)) deps.push([k, v as Schema | string[], kw]);
    }
    if (deps.length === 0 && n.dependencies === undefined && n.dependentRequired === undefined && n.dependentSchemas === undefined) return n;
    const out = { ...n };
    delete out.dependencies;
    delete out.dependentRequired;
    delete out.dependentSchemas;
    if (deps.length === 0) return out;
    if (deps.length > 4) {
      this.unsupported(deps[0]![2], ptrJoin(ptr, deps[0]![2]), 'more than 4 property dependencies');
      return out;
    }
    const branches: Obj[] = deps.map(([k, v]) => ({
      anyOf: [
        { properties: { [k]: false } },
        Array.isArray(v) ? { required: [k, ...v] } : { required: [k], allOf: [v] },
      ],
    }));
    out.allOf = [...((out.allOf as Schema[] | undefined) ?? []), ...branches];
    return out;
  }

  /** Values of an `enum`/`const` on this node or in one of its direct `allOf` branches (following one `$ref`). */
  private enumCandidates(n: Obj, ptr: string): unknown[] | undefined {
    if (Array.isArray(n.enum)) return n.enum;
    if (!Array.isArray(n.allOf)) return undefined;
    for (let i = 0; i < n.allOf.length; i++) {
      let br = n.allOf[i] as Schema;
      if (isObj(br) && typeof br.$ref === 'string') {
        try {
          br = this.resolvePointer(br.$ref, ptrJoin(ptr, 'allOf', i)).schema;
        } catch {
          continue; // reported when the branch itself is compiled
        }
      }
      if (!isObj(br)) continue;
      const nb = this.normalize(br, ptrJoin(ptr, 'allOf', i));
      if (Array.isArray(nb.enum)) return nb.enum;
    }
    return undefined;
  }

  private readonly mergedRules = new Map<string, { name: string; referenced: boolean; done: boolean }>();

  /** Merged (allOf) schemas become named rules keyed by content, so recursive merges terminate. */
  private genMerged(merged: Obj, ptr: string): string | null {
    const key = canonicalJson(merged);
    const hit = this.mergedRules.get(key);
    if (hit) {
      hit.referenced = true;
      return hit.name;
    }
    const entry = { name: this.b.reserve('all-of'), referenced: false, done: false };
    this.mergedRules.set(key, entry);
    const expr = this.gen(merged, ptr);
    if (expr === null) {
      if (entry.referenced) throw new SchemaUnsatisfiableError('allOf', ptr, 'recursive allOf accepts no value');
      this.mergedRules.delete(key);
      return null;
    }
    this.b.define(entry.name, expr);
    entry.done = true;
    return entry.name;
  }

  /** `not` is exact when it only excludes whole types, or a finite set of values from an enum. */
  private applyNot(n: Obj, ptr: string): Obj {
    const not = n.not as Schema;
    const out = { ...n };
    delete out.not;
    const nptr = ptrJoin(ptr, 'not');
    if (not === false) return out;
    if (not === true) {
      return { ...out, enum: [] };
    }
    const nn = this.normalize(not, nptr);
    const keys = Compiler.constrainingKeys(nn);
    if (keys.length === 1 && keys[0] === 'type') {
      const excluded = new Set((Array.isArray(nn.type) ? nn.type : [nn.type]) as JsonType[]);
      let types = this.typeSet(out);
      if (excluded.has('number')) types = types.filter((t) => t !== 'number' && t !== 'integer');
      if (excluded.has('integer')) {
        if (types.includes('number')) {
          this.unsupported('not', nptr, 'excluding integers from numbers is not expressible');
          return out;
        }
        types = types.filter((t) => t !== 'integer');
      }
      types = types.filter((t) => !excluded.has(t));
      return { ...out, type: types };
    }
    if (keys.length === 1 && keys[0] === 'enum' && Array.isArray(out.enum)) {
      const bad = nn.enum as unknown[];
      return { ...out, enum: (out.enum as unknown[]).filter((v) => !bad.some((x) => deepEqual(x, v))) };
    }
    if (keys.length === 0) return { ...out, enum: [] };
    // not {required/properties...}: such a schema holds vacuously for non-objects, so its negation is
    // "an object where some required property is absent or some property has an excluded type".
    const neg = this.negateObjectBranch(not, undefined);
    if (neg !== undefined) {
      if (neg.length === 0) return { ...out, enum: [] };
      return { ...out, allOf: [...((out.allOf as Schema[] | undefined) ?? []), { type: 'object', anyOf: neg }] };
    }
    this.unsupported('not', nptr);
    return out;
  }

  private typeSet(n: Obj): JsonType[] {
    if (n.type === undefined) return ['null', 'boolean', 'object', 'array', 'string', 'number'];
    const ts = (Array.isArray(n.type) ? n.type : [n.type]) as JsonType[];
    return [...new Set(ts)];
  }

  // ---- unions --------------------------------------------------------------------------------

  private genUnion(n: Obj, ptr: string): string | null {
    const rest = { ...n };
    delete rest.anyOf;
    delete rest.oneOf;
    const hasRest = Compiler.constrainingKeys(rest).length > 0;
    let result: string | null = null;
    const andWith = (branches: Schema[], kw: string): Array<{ schema: Schema; ptr: string }> =>
      branches.map((br, i) => {
        const bptr = ptrJoin(ptr, kw, i);
        if (!hasRest) return { schema: br, ptr: bptr };
        return { schema: this.mergeOrFail([rest, br], bptr, kw), ptr: bptr };
      });
    const genAlts = (items: Array<{ schema: Schema; ptr: string }>): string | null => {
      const alts = items.map((it) => this.gen(it.schema, it.ptr)).filter((x): x is string => x !== null);
      if (alts.length === 0) return null;
      return alts.length === 1 ? alts[0]! : `( ${[...new Set(alts)].join(' | ')} )`;
    };
    if (Array.isArray(n.anyOf) && Array.isArray(n.oneOf)) {
      // (A1|A2) & oneOf(B...) : fold anyOf into the rest and handle oneOf per branch
      const items: Array<{ schema: Schema; ptr: string }> = [];
      for (let i = 0; i < (n.anyOf as Schema[]).length; i++) {
        const a = (n.anyOf as Schema[])[i]!;
        items.push({ schema: this.mergeOrFail([rest, a, { oneOf: n.oneOf }], ptrJoin(ptr, 'anyOf', i), 'anyOf'), ptr: ptrJoin(ptr, 'anyOf', i) });
      }
      return genAlts(items);
    }
    if (Array.isArray(n.anyOf)) {
      result = genAlts(andWith(n.anyOf as Schema[], 'anyOf'));
      return result;
    }
    const items = andWith(n.oneOf as Schema[], 'oneOf');
    if (!this.pairwiseDisjoint(items.map((x) => x.schema))) {
      const exclusive = this.exclusiveBranches(n.oneOf as Schema[], rest, ptr);
      if (exclusive !== undefined) return genAlts(exclusive);
      this.unsupported('oneOf', ptrJoin(ptr, 'oneOf'), 'branches may overlap; exclusivity cannot be enforced by a grammar');
    }
    return genAlts(items);
  }

  /**
   * Exactly-one-of for object branches made of `required` / `properties` (type-only property schemas):
   * branch i becomes `rest ∧ B_i ∧ ¬B_j (j≠i)`, where ¬B_j is a finite union: a required property of B_j is
   * absent (`properties: {p: false}`), or a property of B_j is present with a type outside its `type`.
   * The rewritten branches are disjoint by construction. Returns undefined when a branch is not negatable.
   */
  private exclusiveBranches(branches: Schema[], rest: Obj, ptr: string): Array<{ schema: Schema; ptr: string }> | undefined {
    const restTypes = rest.type === undefined ? undefined : Array.isArray(rest.type) ? rest.type : [rest.type];
    const negations: Array<Schema[] | undefined> = branches.map((b) => this.negateObjectBranch(b, restTypes));
    if (negations.some((x) => x === undefined)) return undefined;
    const out: Array<{ schema: Schema; ptr: string }> = [];
    for (let i = 0; i < branches.length; i++) {
      const others: Obj[] = [];
      let impossible = false;
      for (let j = 0; j < branches.length; j++) {
        if (j === i) continue;
        const neg = negations[j]!;
        if (neg.length === 0) impossible = true; // branch j always holds, so branch i can never be the only one
        others.push({ anyOf: neg });
      }
      if (impossible) continue;
      const bptr = ptrJoin(ptr, 'oneOf', i);
      out.push({ schema: this.mergeOrFail([rest, branches[i]!, ...others], bptr, 'oneOf'), ptr: bptr });
    }
    return out;
  }

  private negateObjectBranch(b: Schema, restTypes: unknown[] | undefined): Schema[] | undefined {
    if (b === true) return [];
    if (b === false) return [true];
    let n = this.normalize(b, '');
    if (typeof n.$ref === 'string' && Compiler.constrainingKeys(n).length === 1) {
      const t = this.resolvePointer(n.$ref, '').schema;
      if (typeof t === 'boolean') return t ? [] : [true];
      n = this.normalize(t, '');
    }
    for (const k of Compiler.constrainingKeys(n)) {
      if (k === 'required' || k === 'properties') continue;
      if (k === 'type' && restTypes !== undefined && restTypes.length === 1 && restTypes[0] === 'object' && (n.type === 'object' || (Array.isArray(n.type) && n.type.includes('object')))) continue;
      return undefined;
    }
    const alts: Schema[] = [];
    for (const p of (n.required as string[] | undefined) ?? []) alts.push({ properties: { [p]: false } });
    for (const [p, sp] of Object.entries((n.properties as Obj | undefined) ?? {})) {
      if (sp === true || (isObj(sp) && Compiler.constrainingKeys(sp).length === 0)) continue;
      if (sp === false) {
        alts.push({ required: [p] });
        continue;
      }
      if (!isObj(sp)) return undefined;
      const keys = Compiler.constrainingKeys(sp);
      if (keys.length !== 1 || keys[0] !== 'type') return undefined;
      alts.push({ required: [p], properties: { [p]: { not: { type: sp.type } } } });
    }
    return alts;
  }

  /** Conservative disjointness: proven by type sets, enum values, or a required property with disjoint consts. */
  private pairwiseDisjoint(schemas: Schema[]): boolean {
    const infos = schemas.map((s) => this.shapeInfo(s, 0));
    for (let i = 0; i < infos.length; i++) {
      for (let j = i + 1; j < infos.length; j++) {
        if (!this.disjoint(infos[i]!, infos[j]!)) return false;
      }
    }
    return true;
  }

  private shapeInfo(s: Schema, depth: number): { types: Set<JsonType>; values?: unknown[]; discr: Map<string, unknown[]>; empty: boolean; reqProps: Set<string>; closedProps?: Set<string> } {
    const all: JsonType[] = ['null', 'boolean', 'object', 'array', 'string', 'number', 'integer'];
    if (s === false) return { types: new Set(), discr: new Map(), empty: true, reqProps: new Set() };
    if (s === true || depth > 8) return { types: new Set(all), discr: new Map(), empty: false, reqProps: new Set() };
    let n = this.normalize(s, '');
    if (typeof n.$ref === 'string' && Compiler.constrainingKeys(n).length === 1) {
      try {
        return this.shapeInfo(this.resolvePointer(n.$ref, '').schema, depth + 1);
      } catch {
        return { types: new Set(all), discr: new Map(), empty: false, reqProps: new Set() };
      }
    }
    if (n.anyOf || n.oneOf || n.allOf || n.$ref || n.not) {
      if (n.type === undefined) return { types: new Set(all), discr: new Map(), empty: false, reqProps: new Set() };
      n = { type: n.type };
    }
    const types = new Set<JsonType>(n.type === undefined ? all : this.typeSet(n));
    if (types.has('number')) types.add('integer');
    const info: { types: Set<JsonType>; values?: unknown[]; discr: Map<string, unknown[]>; empty: boolean; reqProps: Set<string>; closedProps?: Set<string> } = {
      types,
      discr: new Map(),
      empty: false,
      reqProps: new Set((n.required as string[] | undefined) ?? []),
    };
    if (Array.isArray(n.enum)) info.values = n.enum;
    if (isObj(n.properties)) {
      for (const [k, v] of Object.entries(n.properties)) {
        if (!info.reqProps.has(k) || !isObj(v)) continue;
        const pv = this.normalize(v, '');
        if (Array.isArray(pv.enum)) info.discr.set(k, pv.enum);
      }
      if (n.additionalProperties === false && !n.patternProperties) info.closedProps = new Set(Object.keys(n.properties));
    }
    return info;
  }

  private disjoint(a: ReturnType<Compiler['shapeInfo']>, b: ReturnType<Compiler['shapeInfo']>): boolean {
    if (a.empty || b.empty) return true;
    if (a.values && b.values) return !a.values.some((x) => b.values!.some((y) => deepEqual(x, y)));
    const av = a.values;
    const bv = b.values;
    if (av && !av.some((v) => b.types.has(jsonTypeOf(v)) || (jsonTypeOf(v) === 'integer' && b.types.has('number')))) return true;
    if (bv && !bv.some((v) => a.types.has(jsonTypeOf(v)) || (jsonTypeOf(v) === 'integer' && a.types.has('number')))) return true;
    const common = [...a.types].filter((t) => b.types.has(t));
    if (common.length === 0) return true;
    if (common.every((t) => t === 'object')) {
      for (const [k, vals] of a.discr) {
        const other = b.discr.get(k);
        if (other && !vals.some((x) => other.some((y) => deepEqual(x, y)))) return true;
      }
      // a closed object cannot hold a property that the other requires
      if (a.closedProps && [...b.reqProps].some((p) => !a.closedProps!.has(p))) return true;
      if (b.closedProps && [...a.reqProps].some((p) => !b.closedProps!.has(p))) return true;
    }
    return false;
  }

  // ---- allOf merge ---------------------------------------------------------------------------

  private mergeOrFail(parts: Schema[], ptr: string, keyword: string): Obj {
    try {
      const merged = this.merge(parts, ptr, 0);
      return merged === false ? { enum: [] } : merged === true ? {} : merged;
    } catch (e) {
      if (e instanceof MergeUnsupported) {
        if (!this.options.allowPostValidation) {
          throw new SchemaCompileError(keyword, ptr, `Cannot combine subschemas exactly (conflicting "${e.keyword}")`);
        }
        // Superset: keep the first schema only, validate the rest later.
        this.unsupported(keyword, ptr);
        const first = parts.find((p) => p !== true) ?? true;
        return first === true ? {} : first === false ? { enum: [] } : this.normalize(first, ptr);
      }
      throw e;
    }
  }

  /** Conjunction of schemas as one schema. Throws MergeUnsupported for combinations it cannot express. */
  private merge(parts: Schema[], ptr: string, depth: number): Schema {
    if (depth > 32) throw new MergeUnsupported('$ref');
    let acc: Obj = {};
    for (const p0 of parts) {
      if (p0 === true) continue;
      if (p0 === false) return false;
      let p = this.normalize(p0, ptr);
      if (typeof p.$ref === 'string') {
        const target = this.resolvePointer(p.$ref, ptr).schema;
        const rest = { ...p };
        delete rest.$ref;
        const m = this.merge([rest, target], ptr, depth + 1);
        if (m === false) return false;
        p = m === true ? {} : m;
      }
      if (Array.isArray(p.allOf)) {
        const rest = { ...p };
        delete rest.allOf;
        const m = this.merge([rest, ...(p.allOf as Schema[])], ptr, depth + 1);
        if (m === false) return false;
        p = m === true ? {} : m;
      }
      acc = this.merge2(acc, p, ptr, depth);
    }
    return acc;
  }

  private merge2(a: Obj, b: Obj, ptr: string, depth: number): Obj {
    // `items` means "after the prefix": with different prefixes, one side's `items` would stop applying to
    // the other side's prefix positions (weaker than the conjunction), so refuse.
    if (!deepEqual(a.prefixItems, b.prefixItems) && (a.items !== undefined || b.items !== undefined)) {
      throw new MergeUnsupported('prefixItems');
    }
    const out: Obj = { ...a };
    const mergeSub = (x: unknown, y: unknown): Schema => {
      if (x === undefined) return y as Schema;
      if (y === undefined) return x as Schema;
      if (deepEqual(x, y)) return x as Schema;
      return this.merge([x as Schema, y as Schema], ptr, depth + 1);
    };
    for (const [k, bv] of Object.entries(b)) {
      const av = out[k];
      if (av === undefined) {
        out[k] = bv;
        continue;
      }
      if (IGNORED.has(k) || !HANDLED.has(k) && k !== '__tupleFromItems') continue;
      if (deepEqual(av, bv)) continue;
      switch (k) {
        case 'type': {
          const ta = new Set((Array.isArray(av) ? av : [av]) as JsonType[]);
          const tb = (Array.isArray(bv) ? bv : [bv]) as JsonType[];
          const res = new Set<JsonType>();
          for (const t of tb) {
            if (ta.has(t)) res.add(t);
            else if (t === 'integer' && ta.has('number')) res.add('integer');
            else if (t === 'number' && ta.has('integer')) res.add('integer');
          }
          out.type = [...res];
          break;
        }
        case 'enum':
          out.enum = (av as unknown[]).filter((x) => (bv as unknown[]).some((y) => deepEqual(x, y)));
          break;
        case 'required':
          out.required = [...new Set([...(av as string[]), ...(bv as string[])])];
          break;
        case 'minimum': case 'exclusiveMinimum': case 'minLength': case 'minItems': case 'minProperties':
          out[k] = Math.max(av as number, bv as number);
          break;
        case 'maximum': case 'exclusiveMaximum': case 'maxLength': case 'maxItems': case 'maxProperties':
          out[k] = Math.min(av as number, bv as number);
          break;
        case 'uniqueItems':
          out[k] = Boolean(av) || Boolean(bv);
          break;
        case 'not': {
          // ¬A ∧ ¬B = ¬(A ∨ B): exact for type-only and enum-only negations
          const na = isObj(av) ? this.normalize(av, ptr) : undefined;
          const nb = isObj(bv) ? this.normalize(bv, ptr) : undefined;
          const ka = na ? Compiler.constrainingKeys(na) : [];
          const kb = nb ? Compiler.constrainingKeys(nb) : [];
          if (na && nb && ka.length === 1 && kb.length === 1 && ka[0] === kb[0] && (ka[0] === 'type' || ka[0] === 'enum')) {
            const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
            out.not = ka[0] === 'type' ? { type: [...new Set([...list(na.type), ...list(nb.type)])] } : { enum: [...list(na.enum), ...list(nb.enum)] };
            break;
          }
          throw new MergeUnsupported(k);
        }
        case 'items': case 'propertyNames':
          out[k] = mergeSub(av, bv);
          break;
        case 'properties': case 'additionalProperties':
          break; // handled below together
        case 'anyOf': case 'oneOf': {
          // (A1|A2) & (B1|B2) = cross product, when small
          const xa = av as Schema[];
          const xb = bv as Schema[];
          if (k === 'oneOf' || xa.length * xb.length > 16) throw new MergeUnsupported(k);
          out.anyOf = xa.flatMap((x) => xb.map((y) => ({ allOf: [x, y] })));
          break;
        }
        default:
          throw new MergeUnsupported(k);
      }
    }
    if ((a.properties !== undefined || a.additionalProperties !== undefined) && (b.properties !== undefined || b.additionalProperties !== undefined)) {
      if (a.patternProperties !== undefined || b.patternProperties !== undefined) throw new MergeUnsupported('patternProperties');
      const pa = (a.properties ?? {}) as Obj;
      const pb = (b.properties ?? {}) as Obj;
      const props: Obj = {};
      for (const key of [...new Set([...Object.keys(pa), ...Object.keys(pb)])]) {
        const sa = pa[key] ?? a.additionalProperties ?? true;
        const sb = pb[key] ?? b.additionalProperties ?? true;
        props[key] = deepEqual(sa, sb) ? sa : this.merge([sa as Schema, sb as Schema], ptr, depth + 1);
      }
      out.properties = props;
      const aa = a.additionalProperties;
      const ab = b.additionalProperties;
      if (aa === undefined) out.additionalProperties = ab;
      else if (ab === undefined) out.additionalProperties = aa;
      else out.additionalProperties = deepEqual(aa, ab) ? aa : this.merge([aa as Schema, ab as Schema], ptr, depth + 1);
      if (out.additionalProperties === undefined) delete out.additionalProperties;
    }
    return out;
  }

  // ---- enum / const --------------------------------------------------------------------------

  private genEnum(n: Obj, ptr: string): string | null {
    let values = n.enum as unknown[];
    const rest = { ...n };
    delete rest.enum;
    if (Compiler.constrainingKeys(rest).length > 0) {
      values = values.filter((v) => this.validates(rest, v, ptr));
    }
    if (values.length === 0) return null;
    const lits = [...new Set(values.map((v) => this.literal(v)))];
    return lits.length === 1 ? lits[0]! : `( ${lits.join(' | ')} )`;
  }

  /** The exact compact JSON text of a value (keys in insertion order). */
  private literal(v: unknown): string {
    if (Array.isArray(v)) {
      if (v.length === 0) return `"["${this.W}"]"`;
      return `"["${this.W}${v.map((x) => this.literal(x)).join(`${this.W}","${this.W}`)}${this.W}"]"`;
    }
    if (isObj(v)) {
      const entries = Object.entries(v);
      if (entries.length === 0) return `"{"${this.W}"}"`;
      return `"{"${this.W}${entries.map(([k, x]) => `${gbnfLiteral(JSON.stringify(k))}${this.W}":"${this.W}${this.literal(x)}`).join(`${this.W}","${this.W}`)}${this.W}"}"`;
    }
    return gbnfLiteral(JSON.stringify(v) ?? 'null');
  }

  /** Validates a value against the sibling keywords of an enum, with ajv (refs resolved against the root). */
  private validates(rest: Obj, v: unknown, ptr: string): boolean {
    this.ajv ??= sharedAjv();
    const root = isObj(this.root) ? this.root : {};
    const schema = this.deepNormalize({ ...rest, ...(root.definitions ? { definitions: root.definitions } : {}), ...(root.$defs ? { $defs: root.$defs } : {}) });
    delete (schema as Obj).$id;
    delete (schema as Obj).id;
    delete (schema as Obj).$schema;
    // Only refs into the copied definitions keep their meaning in this stand-alone schema.
    const refs: string[] = [];
    const collect = (x: unknown, d: number): void => {
      if (d > 64) return;
      if (Array.isArray(x)) x.forEach((y) => collect(y, d + 1));
      else if (isObj(x)) {
        for (const [k, y] of Object.entries(x)) {
          if (k === '$ref' && typeof y === 'string') refs.push(y);
          else if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') collect(y, d + 1);
        }
      }
    };
    collect(schema, 0);
    const foreign = refs.find((r) => !r.startsWith('#/definitions/') && !r.startsWith('#/$defs/'));
    if (foreign !== undefined) {
      throw new SchemaCompileError('enum', ptr, `Cannot check enum values against sibling keywords that use $ref "${foreign}"`);
    }
    try {
      const validate = this.ajv.compile(schema as Obj);
      try {
        return validate(v) as boolean;
      } finally {
        this.ajv.removeSchema(schema as Obj); // the shared instance must not grow with every compile
      }
    } catch (e) {
      throw new SchemaCompileError('enum', ptr, `Cannot check enum values against sibling keywords: ${(e as Error).message}`);
    }
  }

  private deepNormalize(s: unknown, depth = 0): unknown {
    if (depth > 64 || !isObj(s)) return s;
    const n = this.normalize(s, '');
    delete n.__tupleFromItems;
    if (isObj(n.dependencies)) {
      // draft-7 `dependencies` → 2019+ dependentRequired / dependentSchemas (Ajv2020 only knows those)
      for (const [k, v] of Object.entries(n.dependencies)) {
        if (Array.isArray(v)) n.dependentRequired = { ...(n.dependentRequired as Obj | undefined), [k]: v };
        else n.dependentSchemas = { ...(n.dependentSchemas as Obj | undefined), [k]: v };
      }
      delete n.dependencies;
    }
    const out: Obj = {};
    for (const [k, v] of Object.entries(n)) {
      if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples' || k === 'required') out[k] = v;
      else if (Array.isArray(v)) out[k] = v.map((x) => this.deepNormalize(x, depth + 1));
      else if (isObj(v)) {
        if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === '$defs' || k === 'dependentSchemas') {
          out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, this.deepNormalize(pv, depth + 1)]));
        } else out[k] = this.deepNormalize(v, depth + 1);
      } else out[k] = v;
    }
    return out;
  }

  // ---- typed -------------------------------------------------------------------------------

  private genTyped(n: Obj, ptr: string): string | null {
    const types = this.typeSet(n);
    const has = (t: JsonType): boolean => types.includes(t);
    // keywords for types that are not allowed are ignored (they never apply)
    const alts: string[] = [];
    if (has('null')) alts.push('"null"');
    if (has('boolean')) alts.push('( "true" | "false" )');
    if (has('object')) {
      const o = this.genObject(n, ptr);
      if (o !== null) alts.push(o);
    }
    if (has('array')) {
      const a = this.genArray(n, ptr);
      if (a !== null) alts.push(a);
    }
    if (has('string')) {
      const s = this.genString(n, ptr);
      if (s !== null) alts.push(s);
    }
    if (has('number') || has('integer')) {
      const x = this.genNumber(n, ptr, has('number'));
      if (x !== null) alts.push(x);
    }
    if (alts.length === 0) return null;
    return alts.length === 1 ? alts[0]! : `( ${alts.join(' | ')} )`;
  }

  // ---- numbers -------------------------------------------------------------------------------

  private genNumber(n: Obj, ptr: string, isNumber: boolean): string | null {
    const min = n.minimum as number | undefined;
    const max = n.maximum as number | undefined;
    const xmin = n.exclusiveMinimum as number | undefined;
    const xmax = n.exclusiveMaximum as number | undefined;
    let multipleOf = n.multipleOf as number | undefined;
    if (multipleOf !== undefined && Number.isInteger(multipleOf) && multipleOf === 1) {
      multipleOf = undefined;
      isNumber = false; // multipleOf 1 = integer-valued
    }
    const bounded = min !== undefined || max !== undefined || xmin !== undefined || xmax !== undefined;
    if (multipleOf !== undefined) {
      if (!Number.isInteger(multipleOf) || multipleOf > 1000 || bounded) {
        this.unsupported('multipleOf', ptrJoin(ptr, 'multipleOf'), 'only integer multipleOf ≤ 1000 without bounds is enforced');
      } else {
        return this.multipleOfRule(multipleOf);
      }
    }
    if (!bounded) return isNumber ? this.number() : this.integer();
    if (!isNumber) {
      // exact integer bounds
      let lo: bigint | null = null;
      let hi: bigint | null = null;
      const big = (x: number): bigint => BigInt(x);
      if (min !== undefined) lo = big(Math.ceil(min));
      if (xmin !== undefined) {
        const l = big(Math.floor(xmin)) + 1n;
        lo = lo === null || l > lo ? l : lo;
      }
      if (max !== undefined) hi = big(Math.floor(max));
      if (xmax !== undefined) {
        const h = big(Math.ceil(xmax)) - 1n;
        hi = hi === null || h < hi ? h : hi;
      }
      if (lo !== null && hi !== null && lo > hi) {
        return this.empty('minimum', ptr, `no integer in [${lo}, ${hi}]`);
      }
      if ((lo !== null && lo.toString().length > 40) || (hi !== null && hi.toString().length > 40)) {
        // far-away bounds: treat as "sign only" when that is exact, else refuse
        if ((lo === null || lo < -(10n ** 40n)) && (hi === null || hi > 10n ** 40n)) {
          this.unsupported('maximum', ptr, 'bounds beyond 40 digits');
          return this.integer();
        }
      }
      return this.b.rule('int-range', integerRangeGbnf(lo, hi));
    }
    return this.numberRange(n, ptr);
  }

  /** Non-negative integers divisible by k (k ≤ 1000), optionally negated: a residue automaton. */
  private multipleOfRule(k: number): string {
    return this.b.fixed(`int-multiple-of-${k}`, () => {
      const st = (r: number): string => `int-mod-${k}-${r}`;
      for (let r = 0; r < k; r++) {
        const byTarget = new Map<number, number[]>();
        for (let d = 0; d <= 9; d++) {
          const t = (r * 10 + d) % k;
          byTarget.set(t, [...(byTarget.get(t) ?? []), d]);
        }
        const alts = [...byTarget].map(([t, ds]) => `[${ds.join('')}] ${st(t)}`);
        this.b.fixed(st(r), () => (r === 0 ? `( ${alts.join(' | ')} )?` : alts.join(' | ')));
      }
      const first = new Map<number, number[]>();
      for (let d = 1; d <= 9; d++) {
        const t = d % k;
        first.set(t, [...(first.get(t) ?? []), d]);
      }
      const alts = [...first].map(([t, ds]) => `[${ds.join('')}] ${st(t)}`);
      return `"0" | "-"? ( ${alts.join(' | ')} )`;
    });
  }

  /**
   * Numbers between integer bounds, exactly, without exponent (narrower than JSON: `1e2` is refused).
   * Non-integer bounds cannot be decomposed this way and are refused (or post-validated).
   */
  private numberRange(n: Obj, ptr: string): string | null {
    type B = { v: number; excl: boolean };
    let lo: B | undefined;
    let hi: B | undefined;
    const tighterLo = (x: B): void => {
      if (!lo || x.v > lo.v || (x.v === lo.v && x.excl)) lo = x;
    };
    const tighterHi = (x: B): void => {
      if (!hi || x.v < hi.v || (x.v === hi.v && x.excl)) hi = x;
    };
    if (n.minimum !== undefined) tighterLo({ v: n.minimum as number, excl: false });
    if (n.exclusiveMinimum !== undefined) tighterLo({ v: n.exclusiveMinimum as number, excl: true });
    if (n.maximum !== undefined) tighterHi({ v: n.maximum as number, excl: false });
    if (n.exclusiveMaximum !== undefined) tighterHi({ v: n.exclusiveMaximum as number, excl: true });
    const L = lo as B | undefined;
    const H = hi as B | undefined;
    for (const [bd, kw] of [[L, 'minimum'], [H, 'maximum']] as const) {
      if (bd && (!Number.isInteger(bd.v) || Math.abs(bd.v) > 1e15)) {
        this.unsupported(kw, ptrJoin(ptr, kw), 'non-integer (or huge) bounds on numbers cannot be enforced exactly');
        return this.number();
      }
    }
    if (L && H && (L.v > H.v || (L.v === H.v && (L.excl || H.excl)))) {
      return this.empty('minimum', ptr, 'minimum is above maximum');
    }
    const frac = { any: '( "." [0-9]+ )?', zero: '( "." "0"+ )?', nonzero: '"." "0"* [1-9] [0-9]*' } as const;
    type Kind = keyof typeof frac;
    // magnitude pieces for m in a range: [{ilo, ihi|null, kind}], ints as bigint
    const pieces = (mlo: B | null, mhi: B | null): Array<{ ilo: bigint; ihi: bigint | null; kind: Kind }> => {
      const lower: Array<{ ilo: bigint; ihi: bigint | null; kind: Kind }> = [];
      const upper: Array<{ ilo: bigint; ihi: bigint | null; kind: Kind }> = [];
      if (!mlo) lower.push({ ilo: 0n, ihi: null, kind: 'any' });
      else if (mlo.excl) {
        lower.push({ ilo: BigInt(mlo.v), ihi: BigInt(mlo.v), kind: 'nonzero' });
        lower.push({ ilo: BigInt(mlo.v) + 1n, ihi: null, kind: 'any' });
      } else lower.push({ ilo: BigInt(mlo.v), ihi: null, kind: 'any' });
      if (!mhi) upper.push({ ilo: 0n, ihi: null, kind: 'any' });
      else {
        if (mhi.v >= 1) upper.push({ ilo: 0n, ihi: BigInt(mhi.v) - 1n, kind: 'any' });
        if (!mhi.excl) upper.push({ ilo: BigInt(mhi.v), ihi: BigInt(mhi.v), kind: 'zero' });
      }
      const out: Array<{ ilo: bigint; ihi: bigint | null; kind: Kind }> = [];
      for (const x of lower) {
        for (const y of upper) {
          const ilo = x.ilo > y.ilo ? x.ilo : y.ilo;
          const ihi = x.ihi === null ? y.ihi : y.ihi === null ? x.ihi : x.ihi < y.ihi ? x.ihi : y.ihi;
          if (ihi !== null && ilo > ihi) continue;
          let kind: Kind;
          if (x.kind === 'any') kind = y.kind;
          else if (y.kind === 'any') kind = x.kind;
          else if (x.kind === y.kind) kind = x.kind;
          else continue;
          out.push({ ilo, ihi, kind });
        }
      }
      return out;
    };
    const render = (ps: Array<{ ilo: bigint; ihi: bigint | null; kind: Kind }>): string[] =>
      ps.map((p) => `${integerRangeGbnf(p.ilo, p.ihi)} ${frac[p.kind]}`);
    const alts: string[] = [];
    // non-negative values v = m >= 0
    if (!H || H.v > 0 || (H.v === 0 && !H.excl)) {
      const mlo: B | null = L && L.v >= 0 ? L : null;
      const mhi: B | null = H ?? null;
      alts.push(...render(pieces(mlo, mhi)));
    }
    // negative values v = -m, m > 0
    if (!L || L.v < 0) {
      const mlo: B = H && H.v < 0 ? { v: -H.v, excl: H.excl } : { v: 0, excl: true };
      const mhi: B | null = L ? { v: -L.v, excl: L.excl } : null;
      const ps = pieces(mlo, mhi);
      if (ps.length) alts.push(`"-" ( ${render(ps).join(' | ')} )`);
    }
    if (alts.length === 0) return null;
    return this.b.rule('num-range', alts.join(' | '));
  }

  // ---- strings -------------------------------------------------------------------------------

  private genString(n: Obj, ptr: string): string | null {
    const minLength = (n.minLength as number | undefined) ?? 0;
    const maxLength = n.maxLength as number | undefined;
    if (maxLength !== undefined && minLength > maxLength) {
      return this.empty('minLength', ptr, 'minLength is above maxLength');
    }
    const lengthLimited = minLength > 0 || maxLength !== undefined;
    let pattern = n.pattern as string | undefined;
    let format = n.format as string | undefined;
    if (format !== undefined && !isSupportedFormat(format) && !REGEX_FORMATS.has(format)) {
      if (KNOWN_UNSUPPORTED_FORMATS.has(format)) {
        this.unsupported('format', ptrJoin(ptr, 'format'), `format "${format}" is not supported`);
      }
      format = undefined; // unknown formats are annotations
    }
    if (format !== undefined && lengthLimited && pattern === undefined) {
      // bounds the format already implies cost nothing; email bounds compile exactly (automaton × counter)
      const own = FORMAT_LENGTHS[format as keyof typeof FORMAT_LENGTHS] as { min: number; max?: number } | undefined;
      if (own && minLength <= own.min && (maxLength === undefined || (own.max !== undefined && maxLength >= own.max))) {
        return this.genString({ ...n, minLength: undefined, maxLength: undefined }, ptr);
      }
      if (format === 'email' && (maxLength ?? 0) <= MAX_BOUNDED_EMAIL) {
        const r = lengthBoundedDfaGbnf(this.b, EMAIL_DFA, minLength, maxLength);
        if (r === undefined) return this.empty('maxLength', ptr, 'no email address fits these length bounds');
        return `"\\"" ${r} "\\""`;
      }
    }
    if (format !== undefined && (pattern !== undefined || lengthLimited)) {
      this.unsupported('format', ptrJoin(ptr, 'format'), 'format combined with pattern or length bounds');
      format = undefined;
    }
    if (format !== undefined && REGEX_FORMATS.has(format)) {
      return this.regexFormatRule(format, ptrJoin(ptr, 'format')) ?? this.string();
    }
    if (pattern !== undefined && lengthLimited) {
      const combined = Compiler.combinePatternWithLength(pattern, minLength, maxLength);
      if (combined !== undefined && (maxLength ?? 0) < 2000) {
        const r = this.patternRule(combined, ptrJoin(ptr, 'pattern'), false);
        if (r !== undefined) return r;
      }
      this.unsupported('pattern', ptrJoin(ptr, 'pattern'), 'pattern combined with length bounds');
      pattern = undefined;
    }
    if (format !== undefined) {
      const f = formatGbnf(format as Parameters<typeof formatGbnf>[0]);
      for (const [name, body] of f.rules) this.b.fixed(name, () => body);
      return `"\\"" ${f.entry} "\\""`;
    }
    if (pattern !== undefined) {
      const r = this.patternRule(pattern, ptrJoin(ptr, 'pattern'));
      if (r !== undefined) return r;
    }
    if (!lengthLimited) return this.string();
    if (Math.max(minLength, maxLength ?? 0) > 100_000) {
      this.unsupported(maxLength !== undefined && maxLength > 100_000 ? 'maxLength' : 'minLength', ptr, 'length bounds above 100000 would need too many rules');
      return this.string();
    }
    return this.b.rule('string-len', `"\\"" ${this.charRun(minLength, maxLength)} "\\""`);
  }

  /**
   * `char{min,max}` that llama.cpp accepts: its parser refuses repetition counts >= 2000, so long runs
   * are chained in blocks of 1000 (`len in [m, M]` = `char{m,999}` | `char{1000} len in [m-1000, M-1000]`),
   * which stays unambiguous (alternatives differ in total length).
   */
  private charRun(min: number, max: number | undefined): string {
    const c = this.char();
    const BLOCK = 1000;
    if (max === undefined) {
      if (min < 2000) return `${c}{${min},}`;
      return `${this.charRun(min, min)} ${c}*`;
    }
    if (max < 2000) return `${c}{${min},${max}}`;
    return this.b.fixed(`chars-${min}-${max}`, () => {
      const rest = this.charRun(Math.max(0, min - BLOCK), max - BLOCK);
      const alts: string[] = [];
      if (min < BLOCK) alts.push(`${c}{${min},${BLOCK - 1}}`);
      alts.push(`${c}{${BLOCK}} ${rest}`);
      return alts.join(' | ');
    });
  }

  /**
   * `^X+$`, `^X*$`, `^X{a,b}$` where X is one char class / escape / `.`: every match is a run of single
   * code points, so length bounds fold into the repeat count exactly. Returns an anchored pattern.
   */
  static combinePatternWithLength(pattern: string, minLength: number, maxLength: number | undefined): string | undefined {
    const m = /^\^((?:\[(?:[^\]\\]|\\.)+\])|\\[wdsWDS]|\.|[A-Za-z0-9])(\+|\*|\{(\d+)(?:,(\d*))?\})\$$/.exec(pattern);
    if (!m) return undefined;
    const atom = m[1]!;
    let lo = 0;
    let hi: number | undefined;
    if (m[2] === '+') lo = 1;
    else if (m[2] === '*') lo = 0;
    else {
      lo = Number(m[3]);
      hi = m[4] === undefined ? lo : m[4] === '' ? undefined : Number(m[4]);
    }
    lo = Math.max(lo, minLength);
    if (maxLength !== undefined) hi = hi === undefined ? maxLength : Math.min(hi, maxLength);
    if (hi !== undefined && lo > hi) return undefined;
    return `^${atom}{${lo},${hi === undefined ? '' : hi}}$`;
  }

  /** ajv-formats' full-mode `uri` / `ipv6` (its own regexes, made case-insensitive by hand). */
  private regexFormatRule(format: string, ptr: string): string | undefined {
    const cacheKey = `\0format:${format}`;
    const cached = this.patternCache.get(cacheKey);
    if (cached) return cached;
    const source = REGEX_FORMATS.get(format)!;
    const src = source.replace(/a-z/g, 'a-zA-Z').replace(/0-9a-f\]/g, '0-9a-fA-F]');
    const r = this.patternRule(src, ptr, false);
    if (r !== undefined) this.patternCache.set(cacheKey, r);
    return r;
  }

  private readonly patternCache = new Map<string, string>();

  private patternRule(pattern: string, ptr: string, search = true): string | undefined {
    const cacheKey = `${search ? 's' : 'a'}:${pattern}`;
    const cached = this.patternCache.get(cacheKey);
    if (cached) return cached;
    try {
      new RegExp(pattern, 'u');
    } catch {
      try {
        new RegExp(pattern);
      } catch {
        throw new SchemaInvalidError('pattern', ptr, `not a valid regular expression: ${pattern}`);
      }
    }
    try {
      const prefix = this.b.reserve('pat');
      const { expr, rules } = regexToGbnf(pattern, { context: 'json-string', search, rulePrefix: prefix });
      this.b.importRules(rules);
      const name = this.b.rule('pattern', `"\\"" ${expr} "\\""`);
      this.patternCache.set(cacheKey, name);
      return name;
    } catch (e) {
      if (e instanceof RegexUnsupportedError) {
        if (!this.options.allowPostValidation) {
          throw new SchemaCompileError('pattern', ptr, `Pattern cannot be compiled to a grammar: ${(e as Error).message}`);
        }
        this.unsupported('pattern', ptr);
        return undefined;
      }
      throw e;
    }
  }

  // ---- arrays --------------------------------------------------------------------------------

  private genArray(n: Obj, ptr: string): string | null {
    const W = this.W;
    if (n.uniqueItems === true) {
      const maxItems = n.maxItems as number | undefined;
      if (!(maxItems !== undefined && maxItems <= 1)) this.unsupported('uniqueItems', ptrJoin(ptr, 'uniqueItems'));
    }
    if (n.contains !== undefined) this.unsupported('contains', ptrJoin(ptr, 'contains'));
    const minItems = (n.minItems as number | undefined) ?? 0;
    let maxItems = n.maxItems as number | undefined;
    if (maxItems !== undefined && minItems > maxItems) return this.empty('minItems', ptr, 'minItems is above maxItems');
    const prefix = (n.prefixItems as Schema[] | undefined) ?? [];
    const prefixKw = n.__tupleFromItems ? 'items' : 'prefixItems';
    const restKw = n.__tupleFromItems ? 'additionalItems' : 'items';
    const restSchema = (n.items as Schema | undefined) ?? true;
    const restExpr = this.gen(restSchema, ptrJoin(ptr, restKw));
    if (restExpr === null) maxItems = maxItems === undefined ? prefix.length : Math.min(maxItems, prefix.length);
    const prefixExprs = prefix.map((s, i) => this.gen(s, ptrJoin(ptr, prefixKw, i)));
    // first empty prefix item caps the length
    const firstEmpty = prefixExprs.findIndex((e) => e === null);
    if (firstEmpty >= 0) maxItems = maxItems === undefined ? firstEmpty : Math.min(maxItems, firstEmpty);
    if (maxItems !== undefined && minItems > maxItems) {
      return this.empty('minItems', ptr, 'no array length satisfies the item schemas and length bounds');
    }
    const k = Math.min(prefix.length, maxItems ?? prefix.length);
    if (maxItems !== undefined && maxItems > 10_000) maxItems = undefined; // practically unbounded but keep exact: fall back below
    if ((n.maxItems as number | undefined) !== undefined && (n.maxItems as number) > 10_000 && maxItems === undefined) {
      this.unsupported('maxItems', ptrJoin(ptr, 'maxItems'), 'maxItems above 10000 would need too many rules');
    }
    const sep = `${W}","${W}`;
    // tail after k prefix items: restCount in [lo, hi]
    const lo = Math.max(0, minItems - k);
    const hi = maxItems === undefined ? undefined : maxItems - k;
    let tail: string | null; // elements after the prefix, each preceded by a comma when k>0
    const rep = (a: number, b: number | undefined): string => (b === undefined ? `{${a},}` : `{${a},${b}}`);
    if (hi === 0 || restExpr === null) tail = lo === 0 ? '' : null;
    else if (k > 0) tail = `(${sep}${restExpr} )${rep(lo, hi)}`;
    else if (lo === 0) tail = `( ${restExpr} (${sep}${restExpr} )${rep(0, hi === undefined ? undefined : hi - 1)} )?`;
    else tail = `${restExpr} (${sep}${restExpr} )${rep(lo - 1, hi === undefined ? undefined : hi - 1)}`;
    if (tail === null) return this.empty('minItems', ptr, 'not enough items possible');
    // prefix items, nested: T(i) = [sep] p_i T(i+1), optional once i >= minItems
    let body = tail;
    // the outermost body, non-empty, and whether it may be left out: an empty array gets one whitespace run, not two
    let outer: { expr: string; optional: boolean } | null;
    if (k === 0) {
      if (tail === '') outer = null;
      else if (lo === 0) outer = { expr: `${restExpr} (${sep}${restExpr} )${rep(0, hi === undefined ? undefined : hi - 1)}`, optional: true };
      else outer = { expr: tail, optional: false };
    } else {
      for (let i = k - 1; i >= 1; i--) {
        const el = `${sep}${prefixExprs[i]!} ${body}`.trim();
        body = i >= minItems ? `( ${el} )?` : el;
      }
      outer = { expr: `${prefixExprs[0]!} ${body}`.trim(), optional: minItems === 0 };
    }
    return this.b.rule('array', Compiler.container('"["', outer, '"]"', W));
  }

  // ---- objects -------------------------------------------------------------------------------

  private genObject(n: Obj, ptr: string): string | null {
    const W = this.W;
    const properties: Obj = { ...((n.properties as Obj | undefined) ?? {}) }; // copied: entries get added below
    const required = new Set((n.required as string[] | undefined) ?? []);
    const additional = (n.additionalProperties as Schema | undefined) ?? true;
    const patternProps = (n.patternProperties as Obj | undefined) ?? {};
    if (n.propertyNames !== undefined && n.propertyNames !== true) this.unsupported('propertyNames', ptrJoin(ptr, 'propertyNames'));
    for (const k of ['dependencies', 'dependentRequired', 'dependentSchemas']) if (n[k] !== undefined) this.unsupported(k, ptrJoin(ptr, k));

    const names = Object.keys(properties);
    // required names absent from `properties` are governed by additionalProperties / patternProperties
    for (const r of required) {
      if (!(r in properties)) {
        const matching = Object.keys(patternProps).filter((p) => safeRegExp(p).test(r));
        if (matching.length > 0) {
          properties[r] = matching.length === 1 ? patternProps[matching[0]!] : { allOf: matching.map((m) => patternProps[m]) };
        } else properties[r] = additional;
        names.push(r);
      }
    }
    // known names matching a pattern must satisfy both schemas
    const vacuous = (x: unknown): boolean => x === true || (isObj(x) && Compiler.constrainingKeys(x).length === 0);
    // With additionalProperties:false every pattern matters (it admits keys); otherwise only constraining ones.
    const livePatterns = Object.entries(patternProps).filter(([, x]) => additional === false || !vacuous(x) || !vacuous(additional));
    for (const name of names) {
      const ms = Object.keys(patternProps).filter((p) => safeRegExp(p).test(name) && !vacuous(patternProps[p]));
      if (ms.length > 0) properties[name] = { allOf: [properties[name], ...ms.map((m) => patternProps[m])] };
    }

    // extra keys
    let extraKey: string | null = null; // includes quotes
    let extraValue: string | null = null;
    const universal = livePatterns.length > 0 && livePatterns.every(([p]) => isUniversalPattern(p));
    if (universal) {
      // every key matches: all extra keys take the (conjoined) pattern schemas; additionalProperties never applies
      const ps = livePatterns.map(([, x]) => x as Schema);
      const v = ps.length === 1 ? this.gen(ps[0]!, ptrJoin(ptr, 'patternProperties', livePatterns[0]![0])) : this.gen({ allOf: ps }, ptrJoin(ptr, 'patternProperties'));
      if (v !== null) {
        extraValue = v;
        extraKey = this.keyNotIn(names);
      }
    } else if (livePatterns.length > 0) {
      const sameSchema = livePatterns.every(([, x]) => deepEqual(x, livePatterns[0]![1]));
      if (additional !== false || !sameSchema) {
        this.unsupported('patternProperties', ptrJoin(ptr, 'patternProperties'), 'only patterns sharing one schema, with additionalProperties:false, are enforced');
      } else {
        // several patterns with the same schema: a key matching any of them (top-level alternation keeps search semantics)
        const pat = livePatterns.map(([x]) => x).join('|');
        const ps = livePatterns[0]![1];
        if (names.some((nm) => livePatterns.some(([x]) => safeRegExp(x).test(nm)))) {
          this.unsupported('patternProperties', ptrJoin(ptr, 'patternProperties'), 'a pattern that matches a declared property');
        } else {
          const keyRule = this.patternRule(pat, ptrJoin(ptr, 'patternProperties', pat));
          const v = this.gen(ps as Schema, ptrJoin(ptr, 'patternProperties', pat));
          if (keyRule !== undefined && v !== null) {
            extraKey = keyRule;
            extraValue = v;
          }
        }
      }
    } else if (additional !== false) {
      const v = this.gen(additional, ptrJoin(ptr, 'additionalProperties'));
      if (v !== null) {
        extraValue = v;
        extraKey = this.keyNotIn(names);
      }
    }

    const props: Array<{ kv: string | null; req: boolean; name: string }> = names.map((name) => {
      const v = this.gen(properties[name] as Schema, ptrJoin(ptr, 'properties', name));
      return { name, req: required.has(name), kv: v === null ? null : `${gbnfLiteral(JSON.stringify(name))}${W}":"${W}${v}` };
    });
    for (const p of props) {
      if (p.req && p.kv === null) return this.empty('required', ptrJoin(ptr, 'properties', p.name), `required property "${p.name}" accepts no value`);
    }
    const live = props.filter((p) => p.kv !== null);
    const X = extraKey !== null && extraValue !== null ? `${extraKey}${W}":"${W}${extraValue}` : null;
    const minProps = (n.minProperties as number | undefined) ?? 0;
    const maxProps = n.maxProperties as number | undefined;
    const reqCount = live.filter((p) => p.req).length;
    if (maxProps !== undefined && reqCount > maxProps) return this.empty('maxProperties', ptr, 'more required properties than maxProperties');
    if (maxProps !== undefined && (X !== null || live.length > maxProps)) {
      if (maxProps === 0 && reqCount === 0) return `"{"${W}"}"`;
      this.unsupported('maxProperties', ptrJoin(ptr, 'maxProperties'));
    }
    if (minProps > Math.max(1, reqCount)) this.unsupported('minProperties', ptrJoin(ptr, 'minProperties'));
    if (X === null && minProps > live.length) return this.empty('minProperties', ptr, 'fewer possible properties than minProperties');
    const nonEmpty = minProps >= 1;

    const nP = live.length;
    const reqFrom: boolean[] = new Array(nP + 1).fill(false);
    for (let i = nP - 1; i >= 0; i--) reqFrom[i] = reqFrom[i + 1]! || live[i]!.req;
    const sep = `${W}","${W}`;
    const base = this.b.reserve('obj');
    // Tail(i): members after props < i were handled (comma-led); TailNE(i): non-empty Tail; Skip(i): non-empty, next member is a declared prop.
    const tailNE = (i: number): string => `${base}-n${i}`;
    const skipName = (i: number, head: boolean): string => `${base}-${head ? 'h' : 's'}${i}`;
    const defined = new Set<string>();
    const def = (name: string, body: string | null): string | null => {
      if (body === null) return null;
      if (!defined.has(name)) {
        defined.add(name);
        this.b.define(name, body);
      }
      return name;
    };
    const memo = new Map<string, string | null>();
    const once = (key: string, f: () => string | null, optimistic: string | null = null): string | null => {
      if (memo.has(key)) return memo.get(key)!;
      memo.set(key, optimistic); // self-references (through extra keys) resolve to the rule's own name
      const r = f();
      memo.set(key, r);
      return r;
    };
    // Tail(i) expression ('' when only the empty tail is possible)
    const tail = (i: number): string | null => {
      const ne = neRule(i, false);
      if (reqFrom[i]) return ne; // must be non-empty
      return ne === null ? '' : `${ne}?`;
    };
    // non-empty tail starting at prop i; head=true means no leading comma (first member)
    const neRule = (i: number, head: boolean): string | null =>
      once(`ne${i}${head}`, () => {
        const c = head ? '' : sep;
        const alts: string[] = [];
        if (i < nP) {
          const t = tail(i + 1);
          if (t !== null) alts.push(`${c}${live[i]!.kv} ${t}`.trim());
        }
        if (X !== null) {
          const t = tail(i); // after an extra key, the tail from i (comma-prefixed)
          if (t !== null) alts.push(`${c}${X} ${t}`.trim());
        }
        if (i < nP && !live[i]!.req) {
          const s = skipRule(i + 1, head);
          if (s !== null) alts.push(s);
        }
        if (alts.length === 0) return null;
        return def(head ? `${base}-f${i}` : tailNE(i), alts.join(' | '));
      }, X !== null && !head ? tailNE(i) : null);
    // skip chain: next member is a declared property j >= i (no extras), props before j all optional
    const skipRule = (i: number, head: boolean): string | null =>
      once(`sk${i}${head}`, () => {
        if (i >= nP) return null;
        const c = head ? '' : sep;
        const alts: string[] = [];
        const t = tail(i + 1);
        if (t !== null) alts.push(`${c}${live[i]!.kv} ${t}`.trim());
        if (!live[i]!.req) {
          const s = skipRule(i + 1, head);
          if (s !== null) alts.push(s);
        }
        if (alts.length === 0) return null;
        return def(skipName(i, head), alts.join(' | '));
      });
    const head = neRule(0, true);
    if (head === null && (reqFrom[0] || nonEmpty)) return null;
    return Compiler.container('"{"', head === null ? null : { expr: head, optional: !(reqFrom[0] || nonEmpty) }, '"}"', W);
  }

  /**
   * `open W body W close`, written so that an empty container has one whitespace run between its brackets,
   * not two adjacent ones (`[ \n]` would exceed the documented pretty-whitespace bound).
   */
  private static container(open: string, body: { expr: string; optional: boolean } | null, close: string, W: string): string {
    if (body === null) return `${open}${W}${close}`.replace(/\s+/g, ' ');
    if (!body.optional) return `${open}${W}${body.expr}${W}${close}`.replace(/\s+/g, ' ');
    return `${open}${W}( ${body.expr}${W})? ${close}`.replace(/\s+/g, ' ');
  }

  /** A quoted JSON key that is none of `names` (canonical escapes only, so spellings are unique). */
  private keyNotIn(names: string[]): string {
    const kchar = this.b.fixed(
      'kchar',
      () => '[^"\\\\\\x00-\\x1f] | "\\\\" ( ["\\\\bfnrt] | "u00" ( "0" [0-7bef] | "1" [0-9a-f] ) )',
    );
    if (names.length === 0) return this.b.fixed('key', () => `"\\"" ${kchar}* "\\""`);
    // trie over code points of the names
    type Node = { children: Map<number, Node>; terminal: boolean };
    const rootNode: Node = { children: new Map(), terminal: false };
    for (const nm of names) {
      let cur = rootNode;
      for (const ch of nm) {
        const cp = ch.codePointAt(0)!;
        let nx = cur.children.get(cp);
        if (!nx) {
          nx = { children: new Map(), terminal: false };
          cur.children.set(cp, nx);
        }
        cur = nx;
      }
      cur.terminal = true;
    }
    const canon = (cp: number): string => gbnfLiteral(JSON.stringify(String.fromCodePoint(cp)).slice(1, -1));
    const plain = (cp: number): boolean => cp >= 0x20 && cp !== 0x22 && cp !== 0x5c;
    const build = (node: Node, hint: string): string => {
      const alts: string[] = [];
      const kids = [...node.children.keys()];
      // any char other than the children, then anything
      const plainKids = kids.filter(plain);
      const cls = `[^"\\\\\\x00-\\x1f${plainKids.map(classChar).join('')}]`;
      const escAlts: string[] = [];
      const escapes = ['\\"', '\\\\', '\\b', '\\f', '\\n', '\\r', '\\t'];
      for (let c = 0; c < 0x20; c++) if (![8, 9, 10, 12, 13].includes(c)) escapes.push(`\\u00${c.toString(16).padStart(2, '0')}`);
      const kidSpellings = new Set(kids.filter((k) => !plain(k)).map((k) => JSON.stringify(String.fromCodePoint(k)).slice(1, -1)));
      let other: string;
      if (kidSpellings.size === 0) {
        const kesc = this.b.fixed('kesc', () => '"\\\\" ( ["\\\\bfnrt] | "u00" ( "0" [0-7bef] | "1" [0-9a-f] ) )');
        other = `( ${cls} | ${kesc} )`;
      } else {
        for (const e of escapes) if (!kidSpellings.has(e)) escAlts.push(gbnfLiteral(e));
        other = escAlts.length ? `( ${cls} | ${escAlts.join(' | ')} )` : cls;
      }
      alts.push(`${other} ${kchar}* "\\""`);
      for (const [cp, child] of node.children) {
        alts.push(`${canon(cp)} ${build(child, hint)}`);
      }
      if (!node.terminal) alts.push('"\\""');
      return this.b.rule(hint, alts.join(' | '));
    };
    const start = build(rootNode, 'key-other');
    // root node is never terminal for non-empty names; the empty key "" is allowed unless named
    return `"\\"" ${start}`;
  }
}

// ajv-formats is CJS with a default export; under ESM interop the callable may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

let ajvSingleton: Ajv2020 | undefined;
/** One Ajv for the process: building one (with formats) costs ~50 ms, which dominated compile time. */
function sharedAjv(): Ajv2020 {
  if (!ajvSingleton) {
    ajvSingleton = new Ajv2020({ strict: false, allErrors: false, logger: false });
    addFormats(ajvSingleton);
  }
  return ajvSingleton;
}

const KNOWN_UNSUPPORTED_FORMATS = new Set([
  'uri-reference', 'iri', 'iri-reference', 'uri-template', 'url', 'regex', 'json-pointer',
  'relative-json-pointer', 'json-pointer-uri-fragment', 'duration', 'idn-email', 'idn-hostname', 'byte', 'int32',
  'int64', 'float', 'double', 'iso-time', 'iso-date-time',
]);

/**
 * A pattern (search semantics) that matches every string: it matches the empty string at index 0 and has no
 * assertion whose truth depends on the rest of the string (`$`, `\b`, `\B`, lookaround).
 */
function isUniversalPattern(p: string): boolean {
  if (/\$|\\[bB]|\(\?[=!<]/.test(p)) return false;
  return safeRegExp(p).test('');
}

/** ajv-formats (full mode) `uri` regex source; `uri` also requires `/` or `:`, which the scheme's `:` guarantees. */
const URI_REGEX_SOURCE = String.raw`^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$`;

/** ajv-formats (full mode) `ipv6` regex source (case-insensitive there; `regexFormatRule` adds the upper case). */
const IPV6_REGEX_SOURCE = String.raw`^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$`;

/** Formats compiled from ajv-formats' own regexes (so grammar and validator agree by construction). */
const REGEX_FORMATS: ReadonlyMap<string, string> = new Map([
  ['uri', URI_REGEX_SOURCE],
  ['ipv6', IPV6_REGEX_SOURCE],
]);

/**
 * Longest email `maxLength` compiled exactly (the automaton × counter grammar has ~8 rules per allowed
 * character); RFC 5321 caps a path at 256, so real schemas stay far below.
 */
const MAX_BOUNDED_EMAIL = 1000;

function safeRegExp(p: string): RegExp {
  try {
    return new RegExp(p, 'u');
  } catch {
    return new RegExp(p);
  }
}

