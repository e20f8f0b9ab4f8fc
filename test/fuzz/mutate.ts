// The fuzzer's mutations: seeded and deterministic (case `i` of seed `s` is always the same bytes), aimed
// at the places a snapshot parser gets wrong: numbers at and past the limits of their arrays, the JSON
// grammar between values, strings (escapes, lone surrogates, control characters, invalid UTF-8), the
// header's counts and meta, nesting, and gzip framing.

import { gzipSync } from 'node:zlib';

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of case `index` of run `seed`. */
export function caseRng(seed: number, index: number): () => number {
  return rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const INTERESTING_NUMBERS = [
  '0',
  '1',
  '7',
  '255',
  '256',
  '65535',
  '4294967295',
  '4294967296',
  '4294967303',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '18446744073709551616',
  '9'.repeat(400),
  '-1',
  '-0',
  '0.5',
  '1.5',
  '1e3',
  '1E2',
  '1e309',
  '2e-5',
  '00',
  '01',
  '-4988232',
  '1.0',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  '',
];
const TOKENS = [
  ',',
  ',,',
  '"',
  '""',
  '[',
  ']',
  '{',
  '}',
  ':',
  '\\',
  '-',
  '.',
  'e',
  '0',
  'null',
  'true',
  'NaN',
  'Infinity',
  '\u0000',
  ' ',
  '\n',
  '\t',
  '"\\ud800"',
  '\\ud800',
  '\\udc00',
  '\\u0000',
  '\\x41',
  '\\u12',
  '[[[[',
  ']]]]',
  '{"a":',
  '"k":1,',
  '\ufeff',
  '1 2',
  '1,]',
];
const BYTES = [
  0x00, 0x01, 0x09, 0x0a, 0x1f, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x39, 0x3a, 0x5b, 0x5c, 0x5d, 0x65, 0x7b, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe0, 0xed,
  0xef, 0xf0, 0xf4, 0xf8, 0xff,
];
const STRING_INSERTS = ['\\ud800', '\\udbff\\udfff', '\\udc00x', '\\u0000', '\\u001b[31m', '\\u009b', '\\u202e', '\\"', '\\\\', '\\/', '\\b\\f\\n\\r\\t'];

export interface Mutant {
  bytes: Buffer;
  /** What was done, for the report. */
  steps: string[];
}

/** Applies 1–3 mutations to `seed`, sometimes gzip-wraps (and then maybe corrupts) the result. */
export function mutate(seed: Buffer, r: Rand): Mutant {
  let b: Buffer = Buffer.from(seed);
  const steps: string[] = [];
  const n = 1 + int(r, 3);
  for (let i = 0; i < n; i++) {
    const m = pick(r, MUTATORS);
    b = m.apply(b, r);
    steps.push(m.name);
  }
  if (r() < 0.12) {
    let gz = gzipSync(b, { level: 1 });
    const how = int(r, 4);
    if (how === 1) gz = Buffer.concat([gz.subarray(0, 10 + int(r, gz.length - 10))]);
    else if (how === 2) gz[10 + int(r, gz.length - 10)] ^= 1 << int(r, 8);
    else if (how === 3) gz = Buffer.concat([gz, pick(r, [Buffer.from('garbage'), gzipSync(Buffer.from(' ')), Buffer.alloc(3)])]);
    steps.push(['gzip', 'gzip-truncated', 'gzip-bitflip', 'gzip-trailer'][how]);
    b = gz;
  }
  return { bytes: b, steps };
}

interface Mutator {
  name: string;
  apply(b: Buffer, r: Rand): Buffer;
}

const splice = (b: Buffer, at: number, del: number, ins: Buffer | string) =>
  Buffer.concat([b.subarray(0, at), Buffer.isBuffer(ins) ? ins : Buffer.from(ins), b.subarray(at + del)]);

/** Offset of a random run of digits (start, end), or null. */
function numberAt(b: Buffer, r: Rand): [number, number] | null {
  for (let tries = 0; tries < 8; tries++) {
    let p = int(r, b.length);
    while (p < b.length && !(b[p] >= 0x30 && b[p] <= 0x39)) p++;
    if (p >= b.length) continue;
    while (p > 0 && b[p - 1] >= 0x30 && b[p - 1] <= 0x39) p--;
    let q = p;
    while (q < b.length && b[q] >= 0x30 && b[q] <= 0x39) q++;
    return [p, q];
  }
  return null;
}

/** The `snapshot` header as an object with its byte range, when the text still starts like a snapshot. */
function headerOf(b: Buffer): { header: Record<string, any>; start: number; end: number } | null {
  const text = b.toString('latin1', 0, Math.min(b.length, 8192));
  const start = text.indexOf('{"snapshot":');
  const end = text.indexOf(',\n"nodes"');
  if (start !== 0 || end < 0) return null;
  try {
    return { header: JSON.parse(text.slice(12, end)), start: 12, end };
  } catch {
    return null;
  }
}

function editHeader(b: Buffer, r: Rand, edit: (h: Record<string, any>) => void): Buffer {
  const h = headerOf(b);
  if (h === null) return flip(b, r);
  edit(h.header);
  return splice(b, h.start, h.end - h.start, JSON.stringify(h.header));
}

function flip(b: Buffer, r: Rand): Buffer {
  if (b.length === 0) return b;
  const c = Buffer.from(b);
  c[int(r, c.length)] ^= 1 << int(r, 8);
  return c;
}

/** A position inside the strings section (or anywhere when there is none). */
function inStrings(b: Buffer, r: Rand): number {
  const s = b.lastIndexOf('"strings":[');
  const from = s < 0 ? 0 : s + 11;
  const q = b.indexOf(0x22, from + int(r, Math.max(1, b.length - from)));
  return q < 0 ? from : q + 1;
}

// biome-ignore lint/correctness/noPrecisionLoss: numbers past 2^53 are the point (the parser must refuse them)
const WEIRD_VALUES: unknown[] = [-1, 0, 0.5, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e309 /* becomes null */, '7', [], true, null, {}, -4988232, 1e21];

const MUTATORS: Mutator[] = [
  { name: 'bit-flip', apply: (b, r) => flip(b, r) },
  { name: 'byte-set', apply: (b, r) => (b.length === 0 ? b : splice(b, int(r, b.length), 1, Buffer.from([pick(r, BYTES)]))) },
  { name: 'insert-token', apply: (b, r) => splice(b, int(r, b.length + 1), 0, pick(r, TOKENS)) },
  { name: 'delete-range', apply: (b, r) => splice(b, int(r, b.length), 1 + int(r, r() < 0.8 ? 4 : 200), '') },
  { name: 'truncate', apply: (b, r) => b.subarray(0, int(r, b.length)) },
  {
    name: 'duplicate-range',
    apply: (b, r) => {
      const at = int(r, b.length);
      return splice(b, int(r, b.length), 0, b.subarray(at, at + 1 + int(r, 64)));
    },
  },
  {
    name: 'number',
    apply: (b, r) => {
      const at = numberAt(b, r);
      return at === null ? b : splice(b, at[0], at[1] - at[0], pick(r, INTERESTING_NUMBERS));
    },
  },
  {
    name: 'number-in-section',
    apply: (b, r) => {
      const key = pick(r, ['"nodes":[', '"edges":[', '"locations":[', '"samples":[', '"trace_tree":[', '"trace_function_infos":[']);
      const s = b.indexOf(key);
      if (s < 0) return b;
      const sub = b.subarray(s + key.length, s + key.length + 4000);
      const at = numberAt(sub, r);
      if (at === null) return b;
      return splice(b, s + key.length + at[0], at[1] - at[0], pick(r, INTERESTING_NUMBERS));
    },
  },
  {
    name: 'header-count',
    apply: (b, r) =>
      editHeader(b, r, (h) => {
        const k = pick(r, ['node_count', 'edge_count', 'trace_function_count', 'extra_native_bytes', 'root_index']);
        h[k] = r() < 0.5 && typeof h[k] === 'number' ? h[k] + pick(r, [-1, 1, -h[k], 2 ** 32]) : pick(r, WEIRD_VALUES);
      }),
  },
  {
    name: 'header-meta',
    apply: (b, r) =>
      editHeader(b, r, (h) => {
        const meta = h.meta ?? {};
        const keys = Object.keys(meta);
        const k = keys.length > 0 ? pick(r, keys) : 'node_fields';
        const v = meta[k];
        switch (int(r, 7)) {
          case 0:
            delete meta[k];
            break;
          case 1:
            if (Array.isArray(v) && v.length > 1) v.reverse();
            break;
          case 2:
            if (Array.isArray(v)) v.push(v[0]);
            break;
          case 3:
            meta[k] = pick(r, WEIRD_VALUES);
            break;
          case 4:
            if (Array.isArray(v)) v.pop();
            break;
          case 5:
            if (Array.isArray(v) && Array.isArray(v[0])) v[0] = pick(r, [[], 'x', [1], v[0].concat(v[0]), new Array(300).fill('t')]);
            break;
          default:
            meta[k] = pick(r, [
              ['node_ordinal', 'object_index', 'script_id', 'line', 'column'],
              ['a', 'A'],
              [''],
              ['x"y', 'z'],
              new Array(70).fill(0).map((_, i) => `f${i}`),
            ]);
        }
      }),
  },
  {
    name: 'deep-nesting',
    apply: (b, r) => {
      const depth = pick(r, [63, 64, 65, 999, 1000, 1001, 10_000, 100_000]);
      const open = r() < 0.5 ? '['.repeat(depth) : '{"a":'.repeat(depth);
      const close = open[0] === '[' ? ']'.repeat(depth) : '}'.repeat(depth);
      const balanced = r() < 0.8;
      const value = open + (balanced ? close : close.slice(1));
      const h = headerOf(b);
      if (h !== null && r() < 0.5) return splice(b, h.start + 1, 0, `"deep":${value},`);
      const s = b.indexOf('"strings":[');
      return s < 0 ? b : splice(b, s, 0, `"deep":${value},\n`);
    },
  },
  {
    name: 'string-edit',
    apply: (b, r) => {
      const at = inStrings(b, r);
      switch (int(r, 4)) {
        case 0:
          return splice(b, at, 0, pick(r, STRING_INSERTS));
        case 1:
          return splice(b, at, 0, Buffer.from([pick(r, [0x00, 0x01, 0x0a, 0x1f, 0x7f, 0x80, 0xc3, 0xed, 0xa0, 0xff])]));
        case 2:
          return splice(b, at, 0, Buffer.from([0xed, 0xa0, 0x80])); // a surrogate encoded in UTF-8 (invalid)
        default:
          return splice(b, at, 0, Buffer.from('\u00e9\u{1f600}', 'utf8')); // valid raw UTF-8
      }
    },
  },
  {
    name: 'section-edit',
    apply: (b, r) => {
      const keys = ['"nodes"', '"edges"', '"strings"', '"locations"', '"samples"', '"trace_tree"', '"trace_function_infos"', '"snapshot"'];
      const key = pick(r, keys);
      const at = b.indexOf(key);
      if (at < 0) return b;
      switch (int(r, 4)) {
        case 0:
          return splice(b, at, key.length, pick(r, ['"unknown"', '"nod\\u0065s"', '"NODES"', '"sc\u00f6pes"'])); // renamed, escaped
        case 1:
          return splice(b, at, 0, `${key}:[],`); // duplicate
        case 2:
          return splice(
            b,
            at,
            0,
            pick(r, ['"extra":1,', '"extra":-0.5e-3,', '"extra":"x",', '"extra":{"a":[1,{"b":null}]},', '"extra":tru,', '"extra":[1,2},', '"extra":01,']),
          );
        default: {
          const end = b.indexOf('\n', at);
          return end < 0 ? b : splice(b, at, end - at + 1, ''); // a section (its first line) removed
        }
      }
    },
  },
  {
    name: 'bom',
    apply: (b, r) =>
      splice(
        b,
        0,
        0,
        Buffer.from(
          pick(r, [
            [0xef, 0xbb, 0xbf],
            [0xef, 0xbb],
            [0xfe, 0xff],
            [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
          ]),
        ),
      ),
  },
];

export const MUTATOR_NAMES = MUTATORS.map((m) => m.name);
