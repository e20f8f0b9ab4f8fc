/**
 * Dense ids for distinct texts in first-seen order: `id(text)` is 0, 1, 2, … and `texts[id]` spells it
 * back. heapdiff interns class keys, class names, edge labels and partition kinds this way, so that the
 * work per object is on small integers and each text is built once.
 */
export class TextInterner {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.texts.length;
  }

  /** The text's id; a new one when the text is first seen. */
  id(text: string): number {
    let i = this.ids.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.ids.set(text, i);
      this.texts.push(text);
    }
    return i;
  }

  /** The text's id, or undefined when it was never interned. */
  find(text: string): number | undefined {
    return this.ids.get(text);
  }
}
