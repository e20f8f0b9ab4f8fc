// The hot loops of the whole ingest, on their own so that both the scanner and the edge-section worker
// (edge-section.ts) run the same code, and so both parse paths accept exactly the same bytes.
//
// Integer arrays are checked against the JSON grammar (RFC 8259) as they are scanned: one comma between
// values, none before the first or after the last, no leading zeros, no sign, fraction or exponent (the
// sections hold unsigned integers only), and every value must fit the array it goes into exactly.

export const enum ScanStatus {
  NeedMore,
  Closed,
  /** More values than the destination holds. */
  TooMany,
  /** A byte the grammar does not allow here (at the returned position); `state` says what was expected. */
  BadByte,
  /** A number larger than the section's maximum; it ends at the returned position. */
  TooBig,
}

/** Where an integer array's scan stands between bytes (carried across chunks). */
export const enum ArrayState {
  /** Right after '[': a value or ']'. */
  First,
  /** After ',': a value. */
  Expect,
  /** Inside a number that started with 1–9. */
  Number,
  /** The number so far is "0": a further digit would be a leading zero. */
  Zero,
  /** After a value: ',' or ']'. */
  After,
}

export interface IntScanState {
  pos: number;
  cur: number;
  state: ArrayState;
  status: ScanStatus;
  /** Position in the last buffer where the current/last number began; -1 when it began in an earlier buffer. */
  numStart: number;
}

export function newIntScanState(): IntScanState {
  return { pos: 0, cur: 0, state: ArrayState.First, status: ScanStatus.NeedMore, numStart: -1 };
}

/** The largest value of a Uint32Array element. */
export const U32_MAX = 0xffffffff;

/**
 * The hot loop of the whole ingest: unsigned decimal integers, comma-separated, into a preallocated
 * Uint32Array, until ']'. A free function over locals (no `this`), kept monomorphic; digits run in a
 * tight inner loop and the state is only looked at between numbers. Returns the position where it
 * stopped; `st.status` says why (on TooMany the value just ended is kept in `st.cur`, not stored).
 */
export function scanIntegers(buf: Uint8Array, p: number, end: number, dest: Uint32Array, st: IntScanState): number {
  const limit = dest.length;
  let pos = st.pos;
  let cur = st.cur;
  let s = st.state;
  let start = -1;
  let status = ScanStatus.NeedMore;
  outer: while (p < end) {
    let c = buf[p];
    if (s === ArrayState.Number) {
      // Most bytes are digits of a number: a tight loop for them.
      while (c >= 48 && c <= 57) {
        cur = cur * 10 + (c - 48);
        if (++p === end) break outer;
        c = buf[p];
      }
    } else if (s === ArrayState.Zero && c >= 48 && c <= 57) {
      status = ScanStatus.BadByte; // a leading zero
      break;
    }
    if (s === ArrayState.Number || s === ArrayState.Zero) {
      if (cur > U32_MAX) {
        status = ScanStatus.TooBig;
        break;
      }
      if (pos >= limit) {
        status = ScanStatus.TooMany;
        break;
      }
      dest[pos++] = cur;
      cur = 0;
      s = ArrayState.After;
    }
    if (c === 0x2c) {
      if (s !== ArrayState.After) {
        status = ScanStatus.BadByte; // ',,' or '[,'
        break;
      }
      s = ArrayState.Expect;
      if (++p === end) break;
      c = buf[p];
      if (c >= 49 && c <= 57) {
        // the usual case: the next number right after the comma
        cur = c - 48;
        s = ArrayState.Number;
        start = p;
        p++;
      }
      continue;
    }
    if (c >= 48 && c <= 57) {
      if (s === ArrayState.After) {
        status = ScanStatus.BadByte; // two numbers without a comma
        break;
      }
      cur = c - 48;
      s = cur === 0 ? ArrayState.Zero : ArrayState.Number;
      start = p;
      p++;
      continue;
    }
    if (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) {
      p++;
      continue;
    }
    status = c === 0x5d && s !== ArrayState.Expect ? ScanStatus.Closed : ScanStatus.BadByte;
    break;
  }
  st.pos = pos;
  st.cur = cur;
  st.state = s;
  st.status = status;
  st.numStart = start;
  return p;
}

/**
 * The same grammar for arrays of unknown length (locations, samples, trace function infos): values
 * appended to `list`, each at most `max`. Never returns TooMany.
 */
export function scanIntegerList(buf: Uint8Array, p: number, end: number, list: number[], max: number, st: IntScanState): number {
  let cur = st.cur;
  let s = st.state;
  let start = -1;
  let status = ScanStatus.NeedMore;
  outer: while (p < end) {
    let c = buf[p];
    if (s === ArrayState.Number) {
      // Most bytes are digits of a number: a tight loop for them.
      while (c >= 48 && c <= 57) {
        cur = cur * 10 + (c - 48);
        if (++p === end) break outer;
        c = buf[p];
      }
    } else if (s === ArrayState.Zero && c >= 48 && c <= 57) {
      status = ScanStatus.BadByte; // a leading zero
      break;
    }
    if (s === ArrayState.Number || s === ArrayState.Zero) {
      if (cur > max) {
        status = ScanStatus.TooBig;
        break;
      }
      list.push(cur);
      cur = 0;
      s = ArrayState.After;
    }
    if (c === 0x2c) {
      if (s !== ArrayState.After) {
        status = ScanStatus.BadByte; // ',,' or '[,'
        break;
      }
      s = ArrayState.Expect;
      if (++p === end) break;
      c = buf[p];
      if (c >= 49 && c <= 57) {
        // the usual case: the next number right after the comma
        cur = c - 48;
        s = ArrayState.Number;
        start = p;
        p++;
      }
      continue;
    }
    if (c >= 48 && c <= 57) {
      if (s === ArrayState.After) {
        status = ScanStatus.BadByte; // two numbers without a comma
        break;
      }
      cur = c - 48;
      s = cur === 0 ? ArrayState.Zero : ArrayState.Number;
      start = p;
      p++;
      continue;
    }
    if (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) {
      p++;
      continue;
    }
    status = c === 0x5d && s !== ArrayState.Expect ? ScanStatus.Closed : ScanStatus.BadByte;
    break;
  }
  st.pos = list.length;
  st.cur = cur;
  st.state = s;
  st.status = status;
  st.numStart = start;
  return p;
}

/** Why byte `c` was refused in state `s` of an integer array, for the one-line error. */
export function explainBadByte(c: number, s: ArrayState): string {
  if (c >= 48 && c <= 57) return s === ArrayState.Zero ? 'a number with a leading zero' : "a missing ',' between two numbers";
  if (c === 0x2c) return s === ArrayState.First ? "',' before the first value" : "',' without a value before it";
  if (c === 0x5d) return "a trailing ',' before ']'";
  if (c === 0x2d) return "unexpected '-' (only unsigned integers are allowed)";
  if (c === 0x2e || c === 0x65 || c === 0x45) return `unexpected ${describeByte(c)} (only integers are allowed: no fraction or exponent)`;
  if (s === ArrayState.Expect || s === ArrayState.First) return `unexpected ${describeByte(c)} (expected an unsigned integer)`;
  return `unexpected ${describeByte(c)} (expected ',' or ']')`;
}

export function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
