// A streaming check of one JSON value against RFC 8259, byte by byte, for the parts of a snapshot the
// scanner does not interpret itself: the `snapshot` header (then handed to JSON.parse) and sections
// heapdiff keeps verbatim (e.g. Chromium's `scopes`). Without recursion (the nesting is a stack of
// bits), so any depth is checked in constant stack; `maxDepth` bounds it for what later code walks
// recursively (JSON.stringify of the header).
//
// Strings must be valid UTF-8 (no overlong forms, no encoded surrogates) without raw control
// characters; escapes are the JSON ones. `\uD800`-style escapes of lone surrogates are accepted, as
// JSON.parse accepts them (V8 can write them for strings holding a lone surrogate).

const enum S {
  Value, // a value is expected (ws allowed)
  ValueOrEndArray, // after '['
  KeyOrEndObject, // after '{'
  Key, // after ',' inside an object
  Colon, // after a key
  After, // after a value: ',' or the container's closing bracket
  Str, // inside a string
  StrEscape, // after '\'
  StrHex, // inside \uXXXX
  StrUtf8, // inside a multi-byte UTF-8 sequence
  Minus, // after '-'
  Zero, // integer part is '0'
  Int, // integer digits
  Dot, // after '.'
  Frac, // fraction digits
  Exp, // after 'e'/'E'
  ExpSign, // after the exponent sign
  ExpDigits, // exponent digits
  Literal, // inside true/false/null
  Done,
}

export const enum CheckStatus {
  NeedMore,
  /** The value ended before the returned position. */
  Done,
  /** A byte the grammar refuses, at the returned position; `problem` says why. */
  Bad,
}

const LITERALS: Record<number, string> = { 116: 'true', 102: 'false', 110: 'null' };

export class JsonValueCheck {
  private s = S.Value;
  /** One entry per open container: 1 for an object, 0 for an array. */
  private stack: number[] = [];
  private inKey = false;
  private hexLeft = 0;
  private utf8Left = 0;
  /** Allowed range of the next UTF-8 continuation byte (narrower right after E0, ED, F0, F4). */
  private contMin = 0x80;
  private contMax = 0xbf;
  private literal = '';
  private litPos = 0;
  problem = '';

  constructor(private readonly maxDepth: number) {}

  get depth(): number {
    return this.stack.length;
  }

  /**
   * Checks bytes [p, end) of `buf`. Returns where it stopped: on Done, the first byte after the value
   * (a number's end is only known at the byte that follows it, which is not consumed); on Bad, the
   * offending byte.
   */
  feed(buf: Uint8Array, p: number, end: number): { status: CheckStatus; at: number } {
    for (; p < end; p++) {
      const c = buf[p];
      switch (this.s) {
        case S.Str:
          if (c === 0x22) {
            this.s = this.inKey ? S.Colon : S.After;
            this.inKey = false;
            if (this.s === S.After && this.stack.length === 0) return this.done(p + 1);
          } else if (c === 0x5c) this.s = S.StrEscape;
          else if (c < 0x20) return this.bad(p, 'a raw control character inside a string (must be escaped)');
          else if (c >= 0x80) {
            if (c >= 0xc2 && c <= 0xdf) this.utf8(1, 0x80, 0xbf);
            else if (c === 0xe0) this.utf8(2, 0xa0, 0xbf);
            else if (c === 0xed) this.utf8(2, 0x80, 0x9f);
            else if (c >= 0xe1 && c <= 0xef) this.utf8(2, 0x80, 0xbf);
            else if (c === 0xf0) this.utf8(3, 0x90, 0xbf);
            else if (c >= 0xf1 && c <= 0xf3) this.utf8(3, 0x80, 0xbf);
            else if (c === 0xf4) this.utf8(3, 0x80, 0x8f);
            else return this.bad(p, 'invalid UTF-8 inside a string');
          }
          continue;
        case S.StrUtf8:
          if (c < this.contMin || c > this.contMax) return this.bad(p, 'invalid UTF-8 inside a string');
          this.contMin = 0x80;
          this.contMax = 0xbf;
          if (--this.utf8Left === 0) this.s = S.Str;
          continue;
        case S.StrEscape:
          if (c === 0x75) {
            this.s = S.StrHex;
            this.hexLeft = 4;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) this.s = S.Str;
          else return this.bad(p, 'an invalid escape inside a string');
          continue;
        case S.StrHex:
          if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return this.bad(p, 'an invalid \\u escape inside a string');
          if (--this.hexLeft === 0) this.s = S.Str;
          continue;
        case S.Literal:
          if (c !== this.literal.charCodeAt(this.litPos)) return this.bad(p, `an invalid literal (expected "${this.literal}")`);
          if (++this.litPos === this.literal.length) {
            this.s = S.After;
            if (this.stack.length === 0) return this.done(p + 1);
          }
          continue;
        case S.Minus:
          if (c === 0x30) this.s = S.Zero;
          else if (c >= 0x31 && c <= 0x39) this.s = S.Int;
          else return this.bad(p, "a '-' without digits");
          continue;
        case S.Zero:
          if (c >= 0x30 && c <= 0x39) return this.bad(p, 'a number with a leading zero');
          if (this.afterNumber(c)) continue;
          break;
        case S.Int:
          if (c >= 0x30 && c <= 0x39) continue;
          if (this.afterNumber(c)) continue;
          break;
        case S.Dot:
          if (c >= 0x30 && c <= 0x39) this.s = S.Frac;
          else return this.bad(p, "a '.' without digits after it");
          continue;
        case S.Frac:
          if (c >= 0x30 && c <= 0x39) continue;
          if (c === 0x65 || c === 0x45) {
            this.s = S.Exp;
            continue;
          }
          this.s = S.After;
          break;
        case S.Exp:
        case S.ExpSign:
          if (this.s === S.Exp && (c === 0x2b || c === 0x2d)) {
            this.s = S.ExpSign;
            continue;
          }
          if (c >= 0x30 && c <= 0x39) this.s = S.ExpDigits;
          else return this.bad(p, 'an exponent without digits');
          continue;
        case S.ExpDigits:
          if (c >= 0x30 && c <= 0x39) continue;
          this.s = S.After;
          break;
        case S.Done:
          return this.done(p);
        default:
          break;
      }
      // Structural states (and the byte that ended a number).
      if (this.s === S.After && this.stack.length === 0) return this.done(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      const r = this.structural(c, p);
      if (r !== null) return r;
    }
    return { status: CheckStatus.NeedMore, at: p };
  }

  private structural(c: number, p: number): { status: CheckStatus; at: number } | null {
    switch (this.s) {
      case S.Value:
      case S.ValueOrEndArray:
        if (c === 0x5d && this.s === S.ValueOrEndArray) return this.close(0, p);
        return this.startValue(c, p);
      case S.KeyOrEndObject:
      case S.Key:
        if (c === 0x7d && this.s === S.KeyOrEndObject) return this.close(1, p);
        if (c !== 0x22) return this.bad(p, this.s === S.Key && c === 0x7d ? "a trailing ',' before '}'" : 'expected a key (a string)');
        this.s = S.Str;
        this.inKey = true;
        return null;
      case S.Colon:
        if (c !== 0x3a) return this.bad(p, "expected ':' after a key");
        this.s = S.Value;
        return null;
      case S.After: {
        const top = this.stack[this.stack.length - 1];
        if (c === 0x2c) {
          this.s = top === 1 ? S.Key : S.Value;
          return null;
        }
        if (c === 0x5d || c === 0x7d) return this.close(c === 0x7d ? 1 : 0, p);
        return this.bad(p, `expected ',' or '${top === 1 ? '}' : ']'}'`);
      }
    }
    return this.bad(p, 'unexpected byte');
  }

  private startValue(c: number, p: number): { status: CheckStatus; at: number } | null {
    if (c === 0x7b || c === 0x5b) {
      if (this.stack.length >= this.maxDepth) return this.bad(p, `nesting deeper than ${this.maxDepth} levels`);
      this.stack.push(c === 0x7b ? 1 : 0);
      this.s = c === 0x7b ? S.KeyOrEndObject : S.ValueOrEndArray;
      return null;
    }
    if (c === 0x22) {
      this.s = S.Str;
      return null;
    }
    if (c === 0x2d) {
      this.s = S.Minus;
      return null;
    }
    if (c === 0x30) {
      this.s = S.Zero;
      return null;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.s = S.Int;
      return null;
    }
    const lit = LITERALS[c];
    if (lit !== undefined) {
      this.s = S.Literal;
      this.literal = lit;
      this.litPos = 1;
      return null;
    }
    if (c === 0x2c) return this.bad(p, "',' without a value before it");
    if (c === 0x5d || c === 0x7d)
      return this.bad(p, this.s === S.Value && this.stack.length > 0 ? "a trailing ',' or a missing value" : 'a closing bracket without its opening one');
    return this.bad(p, 'expected a JSON value (NaN, Infinity and unquoted words are not JSON)');
  }

  private close(kind: number, p: number): { status: CheckStatus; at: number } | null {
    const top = this.stack.pop();
    if (top !== kind) return this.bad(p, `'${kind === 1 ? '}' : ']'}' closes ${top === undefined ? 'nothing' : `an ${top === 1 ? 'object' : 'array'}`}`);
    this.s = S.After;
    if (this.stack.length === 0) return this.done(p + 1);
    return null;
  }

  /** A number ended at byte `c`: returns true when `c` continues the number ('.', 'e'). */
  private afterNumber(c: number): boolean {
    if (c === 0x2e) {
      this.s = S.Dot;
      return true;
    }
    if (c === 0x65 || c === 0x45) {
      this.s = S.Exp;
      return true;
    }
    this.s = S.After;
    return false;
  }

  private utf8(left: number, min: number, max: number): void {
    this.s = S.StrUtf8;
    this.utf8Left = left;
    this.contMin = min;
    this.contMax = max;
  }

  private done(at: number): { status: CheckStatus; at: number } {
    this.s = S.Done;
    return { status: CheckStatus.Done, at };
  }

  private bad(at: number, problem: string): { status: CheckStatus; at: number } {
    this.problem = problem;
    return { status: CheckStatus.Bad, at };
  }
}
