// Finds the highest JavaScript object id (odd) of a heap snapshot while its JSON streams by in chunks,
// without keeping the snapshot: the header (before `"nodes":[`) is kept until the node fields are known,
// then the numbers of the nodes array are counted off field by field. Used by `setrelheap()`, whose
// snapshot is otherwise thrown away.

export class MaxIdScanner {
  private head = '';
  private fieldCount = 0;
  private idField = -1;
  private inNodes = false;
  private done = false;
  private index = 0;
  private current = -1; // digits of the number being read, or -1 between numbers
  max = 0;

  push(chunk: string): void {
    if (this.done) return;
    let i = 0;
    if (!this.inNodes) {
      this.head += chunk;
      const at = this.head.indexOf('"nodes":[');
      if (at < 0) return;
      const m = /"node_fields":\s*\[([^\]]*)\]/.exec(this.head);
      if (!m) throw new Error('heap snapshot header without node_fields');
      const fields = m[1].split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
      this.fieldCount = fields.length;
      this.idField = fields.indexOf('id');
      if (this.idField < 0) throw new Error('heap snapshot without node ids');
      // The regexp's last-match record would keep the first chunk (~100 KB) alive in the measured heap.
      /^$/.exec('');
      this.inNodes = true;
      chunk = this.head.slice(at + '"nodes":['.length);
      this.head = '';
    }
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        this.current = this.current < 0 ? c - 48 : this.current * 10 + (c - 48);
        continue;
      }
      if (this.current >= 0) this.endNumber();
      if (c === 93 /* ] */) {
        this.done = true;
        return;
      }
    }
  }

  private endNumber(): void {
    if (this.index % this.fieldCount === this.idField && this.current % 2 === 1 && this.current > this.max) this.max = this.current;
    this.index++;
    this.current = -1;
  }
}
