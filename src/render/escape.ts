// Heap strings are untrusted program data: a name can hold ANSI escape sequences, control characters,
// newlines or megabytes of text. Every text renderer passes names through `safeText` so a table can
// neither be broken nor used to drive the terminal. JSON output escapes what JSON.stringify leaves raw
// (renderJson in table.ts); error messages pass through safeText too (src/cli/main.ts).

// C0/C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides that reorder text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\u001b':
      return '\\e';
    default: {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/** Escapes control characters and shortens to `max` characters with an ellipsis (max <= 0: no limit). */
export function safeText(s: string, max = 0): string {
  let out = s.replace(UNSAFE, escapeChar);
  if (max > 0 && out.length > max) out = `${out.slice(0, Math.max(1, max - 1))}…`;
  return out;
}

/** Quotes a CSV field when needed (RFC 4180). Control characters are escaped like text output. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : safeText(v);
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Escapes a Markdown table cell (pipes, backticks, emphasis and HTML-looking text). */
export function mdCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return safeText(v).replace(/([\\|`*_<>[\]])/g, '\\$1');
}

/** Like safeText, but shortens in the middle (`head … tail`), for paths whose end matters most. */
export function safeTextMiddle(s: string, max: number): string {
  const out = safeText(s);
  if (max <= 0 || out.length <= max) return out;
  const tail = Math.floor((max - 1) * 0.6);
  const head = max - 1 - tail;
  return `${out.slice(0, head)}…${out.slice(out.length - tail)}`;
}
