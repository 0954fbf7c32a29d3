import type { GbnfBuilder } from './GbnfBuilder.js';

/**
 * A deterministic automaton over code points, written with GBNF character classes as edge labels.
 * Edges leaving one state must have disjoint classes (the automaton is deterministic), so the grammar
 * built from it is unambiguous: llama.cpp keeps one parse stack per prefix, never a growing set.
 */
export interface LengthDfa {
  /** Stable, GBNF-safe name (`[a-z0-9-]`), used to name the generated rules. */
  readonly name: string;
  readonly start: string;
  readonly accepting: readonly string[];
  /** state → edges `[GBNF char class, next state]`. */
  readonly edges: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>>;
}

/**
 * GBNF for the strings of `dfa`'s language whose length (in code points) lies in `[minLength, maxLength]`:
 * the exact intersection of a regular format with JSON Schema's length bounds, which a plain regex
 * cannot express without blowing up.
 *
 * Construction: the product of the automaton with a counter of characters written. Rule `(state, n)`
 * offers only the edges from which an accepting state is still reachable within `maxLength`, so the
 * sampler is never steered into a dead end (the model can always finish). With no upper bound the
 * counter saturates at `minLength`, which makes the rules cyclic but finite.
 *
 * Cost: at most `states × (maxLength + 1)` small rules (8 × 255 ≈ 2,000 for an email capped at 254),
 * each deterministic, so grammar evaluation stays linear. Callers cap `maxLength` to keep rule counts sane.
 *
 * Returns the entry rule name, or `undefined` when no string fits the bounds (the caller reports an
 * unsatisfiable schema).
 */
export function lengthBoundedDfaGbnf(
  b: GbnfBuilder,
  dfa: LengthDfa,
  minLength: number,
  maxLength: number | undefined,
): string | undefined {
  const accepting = new Set(dfa.accepting);
  const feasible = feasibility(dfa, accepting, minLength, maxLength);
  if (!feasible(dfa.start, 0)) return undefined;
  const bounds = `${minLength}-${maxLength ?? 'inf'}`;
  const nameOf = (state: string, n: number): string => `${dfa.name}-${bounds}-${state}-${n}`;

  // edges worth offering from (state, n): those after which acceptance is still reachable in bounds
  const onward = (state: string, n: number) => (dfa.edges[state] ?? []).filter(([, next]) => feasible(next, n + 1));
  /** The rule for (state, n), or `null` when the only way on is to stop (an empty rule). */
  const ruleFor = (state: string, n: number): string | null => {
    const key = maxLength === undefined ? Math.min(n, minLength) : n;
    const edges = onward(state, key);
    if (edges.length === 0) return null;
    return b.fixed(nameOf(state, key), () => {
      const body = edges
        .map(([cls, next]) => {
          const rest = ruleFor(next, key + 1);
          return rest === null ? cls : `${cls} ${rest}`;
        })
        .join(' | ');
      return accepting.has(state) && key >= minLength ? `( ${body} )?` : body;
    });
  };
  return ruleFor(dfa.start, 0) ?? undefined;
}

/**
 * `feasible(state, n)`: having written `n` characters and standing in `state`, some accepting state is
 * reachable at a total length within `[minLength, maxLength]`. Computed backwards over lengths once.
 */
function feasibility(
  dfa: LengthDfa,
  accepting: ReadonlySet<string>,
  minLength: number,
  maxLength: number | undefined,
): (state: string, n: number) => boolean {
  const states = allStates(dfa);
  if (maxLength === undefined) {
    // past minLength the count no longer matters: level `minLength` stands for every n >= minLength
    const table = backwardTable(dfa, accepting, states, minLength, minLength, true);
    return (state, n) => table.get(`${state}@${Math.min(n, minLength)}`) === true;
  }
  const table = backwardTable(dfa, accepting, states, minLength, maxLength, false);
  return (state, n) => n <= maxLength && table.get(`${state}@${n}`) === true;
}

function backwardTable(
  dfa: LengthDfa,
  accepting: ReadonlySet<string>,
  states: string[],
  minLength: number,
  top: number,
  saturate: boolean,
): Map<string, boolean> {
  const ok = new Map<string, boolean>();
  // the saturated top level loops onto itself: iterate to a fixpoint there first
  if (saturate) {
    let changed = true;
    for (const s of states) ok.set(`${s}@${top}`, accepting.has(s) && top >= minLength);
    while (changed) {
      changed = false;
      for (const s of states) {
        if (ok.get(`${s}@${top}`)) continue;
        if ((dfa.edges[s] ?? []).some(([, t]) => ok.get(`${t}@${top}`))) {
          ok.set(`${s}@${top}`, true);
          changed = true;
        }
      }
    }
  }
  for (let n = saturate ? top - 1 : top; n >= 0; n--) {
    for (const s of states) {
      const here = accepting.has(s) && n >= minLength;
      // level top is the last one unless saturated (then it was filled above and n < top here)
      const onward = n < top && (dfa.edges[s] ?? []).some(([, t]) => ok.get(`${t}@${n + 1}`) === true);
      ok.set(`${s}@${n}`, here || onward);
    }
  }
  return ok;
}

function allStates(dfa: LengthDfa): string[] {
  const set = new Set<string>([dfa.start, ...dfa.accepting, ...Object.keys(dfa.edges)]);
  for (const edges of Object.values(dfa.edges)) for (const [, t] of edges) set.add(t);
  return [...set];
}
