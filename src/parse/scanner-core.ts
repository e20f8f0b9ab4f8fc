// The hot loop of the whole ingest, on its own so that both the scanner and the edge-section worker
// (edge-section.ts) run the same code.

export const enum ScanStatus {
  NeedMore,
  Closed,
  TooMany,
  BadByte,
}

export interface IntScanState {
  pos: number;
  cur: number;
  inNumber: boolean;
  status: ScanStatus;
}

/**
 * The hot loop of the whole ingest: unsigned decimal integers separated by commas/whitespace into a
 * preallocated Uint32Array, until ']'. A free function over locals (no `this`), kept monomorphic.
 * Returns the position where it stopped; `st.status` says why.
 */
export function scanIntegers(buf: Uint8Array, p: number, end: number, dest: Uint32Array, st: IntScanState): number {
  const limit = dest.length;
  let pos = st.pos;
  let cur = st.cur;
  let inNumber = st.inNumber;
  let status = ScanStatus.NeedMore;
  while (p < end) {
    const c = buf[p];
    if (c >= 48 && c <= 57) {
      cur = cur * 10 + (c - 48);
      inNumber = true;
      p++;
      continue;
    }
    if (inNumber) {
      if (pos >= limit) {
        status = ScanStatus.TooMany;
        break;
      }
      dest[pos++] = cur;
      cur = 0;
      inNumber = false;
    }
    if (c === 0x2c || c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) {
      p++;
      continue;
    }
    status = c === 0x5d ? ScanStatus.Closed : ScanStatus.BadByte;
    break;
  }
  st.pos = pos;
  st.cur = cur;
  st.inNumber = inNumber;
  st.status = status;
  return p;
}
