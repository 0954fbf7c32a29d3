/**
 * Exact (or strictly narrower, never wider) GBNF for string formats, matching what ajv-formats
 * ("full" mode) accepts. Bodies describe the string content only (no quotes); none of them can
 * produce `"` or `\`, so they are valid JSON string contents as-is.
 *
 * Narrower than ajv-formats, by design (an accepted string is always valid, some valid strings are
 * refused): time/date-time reject the leap second `23:59:60`; date-time accepts only `T`/`t`/space as
 * separator; hostname allows at most 8 labels of at most 28 characters (keeps the 253-char total exact).
 */
import type { LengthDfa } from './lengthBoundedDfaGbnf.js';

export const SUPPORTED_FORMATS = ['date', 'time', 'date-time', 'email', 'uuid', 'ipv4', 'hostname'] as const;
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number];

const EMAIL_LOCAL = "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~\\x2d]";
const EMAIL_ALNUM = '[a-zA-Z0-9]';

export function isSupportedFormat(f: string): f is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(f);
}

/** Rules (name → body) for the format, plus the name of its entry rule. Names are fixed (`fmt-...`). */
export function formatGbnf(format: SupportedFormat): { entry: string; rules: Array<[string, string]> } {
  const d28 = '( "0" [1-9] | "1" [0-9] | "2" [0-8] )';
  const date: Array<[string, string]> = [
    [
      'fmt-date',
      `[0-9]{4} "-" ( ( "0" [13578] | "1" [02] ) "-" ( ${d28} | "29" | "3" [01] ) | ( "0" [469] | "11" ) "-" ( ${d28} | "29" | "30" ) | "02-" ${d28} ) | fmt-leap-year "-02-29"`,
    ],
    [
      'fmt-leap-year',
      '[0-9]{2} ( "0" [48] | [2468] [048] | [13579] [26] ) | ( "0" [048] | [2468] [048] | [13579] [26] ) "00"',
    ],
  ];
  const hh = '( [01] [0-9] | "2" [0-3] )';
  const time: Array<[string, string]> = [
    ['fmt-time', `${hh} ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]+ )? ( [zZ] | [+-] ${hh} ( ":"? [0-5] [0-9] )? )`],
  ];
  switch (format) {
    case 'date':
      return { entry: 'fmt-date', rules: date };
    case 'time':
      return { entry: 'fmt-time', rules: time };
    case 'date-time':
      return { entry: 'fmt-date-time', rules: [['fmt-date-time', 'fmt-date [tT ] fmt-time'], ...date, ...time] };
    case 'uuid': {
      const h = '[0-9a-fA-F]';
      return {
        entry: 'fmt-uuid',
        rules: [
          [
            'fmt-uuid',
            `( [uU] [rR] [nN] ":" [uU] [uU] [iI] [dD] ":" )? ${h}{8} "-" ${h}{4} "-" ${h}{4} "-" ${h}{4} "-" ${h}{12}`,
          ],
        ],
      };
    }
    case 'ipv4': {
      const octet = '( "25" [0-5] | "2" [0-4] [0-9] | "1" [0-9] [0-9] | [1-9] [0-9] | [0-9] )';
      return { entry: 'fmt-ipv4', rules: [['fmt-ipv4', `${octet} "." ${octet} "." ${octet} "." ${octet}`]] };
    }
    case 'email': {
      const local = EMAIL_LOCAL;
      const alnum = EMAIL_ALNUM;
      return {
        entry: 'fmt-email',
        rules: [
          ['fmt-email', `${local}+ ( "." ${local}+ )* "@" fmt-email-label ( "." fmt-email-label )+`],
          ['fmt-email-label', `${alnum} ( "-"* ${alnum} )*`],
        ],
      };
    }
    case 'hostname': {
      const alnum = '[a-zA-Z0-9]';
      return {
        entry: 'fmt-hostname',
        rules: [
          ['fmt-hostname', 'fmt-host-label ( "." fmt-host-label ){0,7} "."?'],
          ['fmt-host-label', `${alnum} ( [a-zA-Z0-9\\x2d]{0,26} ${alnum} )?`],
        ],
      };
    }
  }
}

/**
 * Shortest and longest strings (code points) each format grammar can produce; `max` undefined when
 * unbounded. When a schema's `minLength`/`maxLength` already contain this range, the bounds are implied
 * by the format and compile to nothing extra.
 */
export const FORMAT_LENGTHS: Readonly<Record<SupportedFormat | 'ipv6' | 'uri', { min: number; max?: number }>> = {
  date: { min: 10, max: 10 },
  time: { min: 9 },
  'date-time': { min: 20 },
  email: { min: 5 },
  uuid: { min: 36, max: 45 },
  ipv4: { min: 7, max: 15 },
  ipv6: { min: 2, max: 45 },
  // `a:b`: a scheme, its colon and at least one character of path
  uri: { min: 3 },
  // 8 labels of at most 28 characters, 7 dots and an optional final dot
  hostname: { min: 1, max: 8 * 28 + 7 + 1 },
};

/**
 * ajv-formats' full-mode `email` as a deterministic automaton, for emails with length bounds
 * (`lengthBoundedDfaGbnf`). Same language as `fmt-email` above: `local+ ("." local+)* "@" label ("." label)+`,
 * labels alphanumeric with inner hyphens. States: `l0` needs a local char, `l1` inside the local part,
 * `d0` needs the first label, `d1`/`dh` inside it (after an alphanumeric / a hyphen), `e0` needs a label
 * after a dot, `e1`/`eh` inside a later label; only `e1` accepts.
 */
export const EMAIL_DFA: LengthDfa = {
  name: 'fmt-email-len',
  start: 'l0',
  accepting: ['e1'],
  edges: {
    l0: [[EMAIL_LOCAL, 'l1']],
    l1: [[EMAIL_LOCAL, 'l1'], ['"."', 'l0'], ['"@"', 'd0']],
    d0: [[EMAIL_ALNUM, 'd1']],
    d1: [[EMAIL_ALNUM, 'd1'], ['"-"', 'dh'], ['"."', 'e0']],
    dh: [[EMAIL_ALNUM, 'd1'], ['"-"', 'dh']],
    e0: [[EMAIL_ALNUM, 'e1']],
    e1: [[EMAIL_ALNUM, 'e1'], ['"-"', 'eh'], ['"."', 'e0']],
    eh: [[EMAIL_ALNUM, 'e1'], ['"-"', 'eh']],
  },
};
