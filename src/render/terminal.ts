// A terminal's manners for the text views: how wide a line may be, whether to colour, and how sizes and
// counts read. Pure functions over a `Manners` value (built once per command from `--wide`, `--bytes`,
// `--color`, the environment and stdout); JSON, CSV and Markdown never go through here.
//
// Sizes use decimal units (1 kB = 1000 B), as DevTools does, with three significant digits and the
// trailing zeros kept so a column of sizes lines up: `812 B`, `1.50 kB`, `532 kB`, `10.2 MB`, `1.00 GB`.
// `--bytes` (`rawBytes`) prints the exact count instead, with thousands separators: `10,230,184 B`.
// Counts always carry thousands separators (`3,000`), in prose and in the non-heapy tables.
//
// Widths are display widths: East-Asian wide and full-width characters count 2 columns, combining marks
// and zero-width characters 0, everything else 1. Text handed to these functions is already escaped
// (src/render/escape.ts), so it holds no control characters; colour is applied last, after fitting.

/** How a text view is drawn. */
export interface Manners {
  /** Columns a line may take; `Infinity` with `--wide`. */
  width: number;
  /** ANSI colour (a terminal, or forced). */
  color: boolean;
  /** `--bytes`: exact byte counts instead of human sizes. */
  rawBytes: boolean;
}

/** `--color` values. */
export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];

/** The width of a text view that is not on a terminal (a pipe, a file, a CI log). */
export const DEFAULT_WIDTH = 100;

/** Manners for tests and library callers that print nowhere in particular: 100 columns, no colour, human sizes. */
export const PLAIN: Manners = { width: DEFAULT_WIDTH, color: false, rawBytes: false };

/** The parts of a stream `mannersFor` looks at (`process.stdout`, a `tty.WriteStream`, or a fake in tests). */
export interface StreamLike {
  isTTY?: boolean;
  columns?: number;
}

/**
 * The manners of a text view written to `stream`:
 * - width: `--wide` → Infinity; else `COLUMNS` when a positive integer; else the terminal's columns; else 100;
 * - colour: `--color always|never` decides; with `auto` (the default), `FORCE_COLOR` decides when set (on
 *   unless `0` or `false`, as Node does), then a non-empty `NO_COLOR` turns it off, then `TERM=dumb`;
 *   otherwise colour exactly when the stream is a terminal;
 * - rawBytes: `--bytes`.
 */
export function mannersFor(
  options: { wide?: boolean; bytes?: boolean; color?: ColorChoice | string },
  stream: StreamLike = process.stdout,
  env: Record<string, string | undefined> = process.env,
): Manners {
  return { width: options.wide ? Infinity : widthFor(stream, env), color: colorFor(options.color ?? 'auto', stream, env), rawBytes: Boolean(options.bytes) };
}

function widthFor(stream: StreamLike, env: Record<string, string | undefined>): number {
  const cols = env.COLUMNS?.trim();
  if (cols && /^\d+$/.test(cols) && Number(cols) > 0) return Number(cols);
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return DEFAULT_WIDTH;
}

function colorFor(choice: string, stream: StreamLike, env: Record<string, string | undefined>): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

// ---- numbers --------------------------------------------------------------------------------------

/** An integer with thousands separators: `3,000`, `-1,234,567`, `0` (non-integers keep their decimals). */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** A count with an explicit sign: `+3,000`, `-12`, `0`. */
export function signedCount(n: number): string {
  return n > 0 ? `+${count(n)}` : count(n);
}

const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'];

/** A byte size: `812 B`, `1.50 kB`, `532 kB`, `10.2 MB`; with `m.rawBytes` exact: `10,230,184 B`. */
export function size(bytes: number, m: Pick<Manners, 'rawBytes'>): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const sign = bytes < 0 ? '-' : '';
  const a = Math.abs(bytes);
  if (m.rawBytes || a < 1000) return `${sign}${count(Math.round(a))} B`;
  let v = a;
  for (const unit of UNITS) {
    v /= 1000;
    // Three significant digits; a value that rounds up to 1000 moves to the next unit (999,999 B → 1.00 MB).
    const text = v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
    if (Number(text) < 1000 || unit === UNITS[UNITS.length - 1]) return `${sign}${text} ${unit}`;
  }
  return `${sign}${a} B`; // unreachable
}

/** A size with an explicit sign: `+1.23 MB`, `-532 kB`, `0 B`. */
export function signedSize(bytes: number, m: Pick<Manners, 'rawBytes'>): string {
  return bytes > 0 ? `+${size(bytes, m)}` : size(bytes, m);
}

/** The word for `n` things: `plural(1, 'child', 'children')` → `child`; the plural defaults to `one + 's'`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `n` and its word: `countOf(3000, 'object')` → `3,000 objects`, `countOf(1, 'more child', 'more children')` → `1 more child`. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${plural(n, one, many)}`;
}

// ---- widths ---------------------------------------------------------------------------------------

// Wide (2-column) ranges: Hangul Jamo, CJK radicals…Yi, Hangul syllables, CJK compatibility, full-width
// forms, and the emoji blocks that terminals draw wide.
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f5],
  [0x26fa, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

// Combining marks, zero-width space/joiners/marks, variation selectors, the BOM: no column of their own.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: one code point is tested at a time; the class lists zero-width ones
const ZERO = /^[\p{M}\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff]$/u;

/** Columns one code point takes on a terminal: 0, 1 or 2. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return 1; // ASCII and Latin: the common case, answered without a search
  if (ZERO.test(ch)) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[mid][0]) hi = mid - 1;
    else if (cp > WIDE[mid][1]) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** Columns `text` takes on a terminal (ANSI colour sequences count 0). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of stripAnsi(text)) w += charWidth(ch);
  return w;
}

/**
 * `text` shortened to at most `width` columns with a middle ellipsis (`head…tail`; the tail, which holds
 * a location's `line:col` or a path's last hop, keeps 60 %). Text that fits, and any text at width
 * Infinity, is returned as it is.
 */
export function fitLine(text: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? '…' : '';
  const chars = Array.from(text);
  const room = width - 1;
  const tailRoom = Math.floor(room * 0.6);
  const headRoom = room - tailRoom;
  let head = '';
  let w = 0;
  let i = 0;
  for (; i < chars.length; i++) {
    const cw = charWidth(chars[i]);
    if (w + cw > headRoom) break;
    head += chars[i];
    w += cw;
  }
  // The tail takes what the head left unused (a wide character that did not fit).
  let tailW = 0;
  const tailLimit = room - w;
  let j = chars.length;
  while (j > i) {
    const cw = charWidth(chars[j - 1]);
    if (tailW + cw > tailLimit) break;
    tailW += cw;
    j--;
  }
  // A combining mark never starts the tail without its base character.
  while (j < chars.length && charWidth(chars[j]) === 0) j++;
  return `${head}…${chars.slice(j).join('')}`;
}

/** `text` shortened at its end to at most `width` columns (`head…`). */
export function fitEnd(text: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? '…' : '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/**
 * A path as lines at most `width` columns wide: `prefix` then the hops joined by `separator`, broken
 * only between hops (the line ends with the separator's arrow, the next starts after `indent`). A hop
 * wider than a whole line is shortened in the middle. `width` Infinity gives one line. `indent` is a
 * number of spaces or the literal indentation string.
 */
export function wrapHops(prefix: string, hops: readonly string[], width: number, indent: number | string = 4, separator = ' → '): string[] {
  if (!Number.isFinite(width)) return [prefix + hops.join(separator)];
  width = Math.max(1, Math.floor(width));
  let pad = typeof indent === 'number' ? ' '.repeat(Math.max(0, indent)) : indent;
  // A narrow terminal keeps at least half the line for the hops.
  if (displayWidth(pad) > width / 2) pad = ' '.repeat(Math.floor(width / 2));
  const arrow = separator.trimEnd();
  const arrowW = displayWidth(arrow);
  const sepW = displayWidth(separator);
  const padW = displayWidth(pad);

  const lines: string[] = [];
  let line = prefix;
  let lineW = displayWidth(prefix);
  let empty = true; // no hop on this line yet
  // A prefix too long to share a line with even a short hop stands on its own line.
  if (hops.length > 0 && lineW > width - Math.min(12, width - padW)) {
    lines.push(fitLine(prefix, width));
    line = pad;
    lineW = padW;
  }
  hops.forEach((hop, k) => {
    const last = k === hops.length - 1;
    const tail = last ? 0 : arrowW; // room for the arrow that ends this line if the next hop breaks
    const hopW = displayWidth(hop);
    if (!empty && lineW + sepW + hopW + tail > width) {
      lines.push(line + arrow);
      line = pad;
      lineW = padW;
      empty = true;
    }
    const join = empty ? '' : separator;
    const room = width - lineW - displayWidth(join) - tail;
    const text = hopW > room ? fitLine(hop, Math.max(1, room)) : hop;
    line += join + text;
    lineW += displayWidth(join) + displayWidth(text);
    empty = false;
  });
  lines.push(line);
  return lines;
}

/**
 * Prose as lines at most `width` columns wide, broken at spaces (never between a number and its
 * unit); continuation lines start with `indent`. A word wider than a line is shortened in the middle. `width` Infinity gives one line.
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return [text];
  width = Math.max(1, Math.floor(width));
  if (displayWidth(indent) > width / 2) indent = ' '.repeat(Math.floor(width / 2));
  const lead = /^ */.exec(text)![0];
  // A size's unit stays with its number (`4,470,487 B`, `10.2 MB`).
  const words: string[] = [];
  for (const w of text.slice(lead.length).split(/ +/)) {
    if (w === '') continue;
    if (words.length > 0 && /^[kMGTP]?B\b/.test(w) && /\d$/.test(words[words.length - 1])) words[words.length - 1] += ` ${w}`;
    else words.push(w);
  }
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of words) {
    if (!empty && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    const join = empty ? '' : ' ';
    line += join + fitLine(word, Math.max(1, width - displayWidth(line) - join.length));
    empty = false;
  }
  lines.push(line);
  return lines;
}

// ---- colour ---------------------------------------------------------------------------------------

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** `text` in `style` when the view has colour; unchanged otherwise. Fit the text first: colour codes take no columns. */
export function paint(text: string, style: Style, m: Pick<Manners, 'color'>): string {
  if (!m.color || text === '') return text;
  const [on, off] = SGR[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** `text` without the colour sequences `paint` adds. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text;
}
