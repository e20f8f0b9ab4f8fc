// "Did you mean": the names closest to a mistyped one, for the command line (an unknown command) and
// the store (an unknown class name). Pure functions; no knowledge of commands or heaps.

/**
 * Damerau–Levenshtein distance (optimal string alignment): insertions, deletions, substitutions and
 * swaps of two neighbouring characters each cost 1 (`partiton` → `partition` is 1, `stast` → `stats` 1).
 * Stops early and returns `limit + 1` once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** The edits a name of this length may be off by and still be suggested: 1 up to 4 characters, 2 up to 8, then 3. */
export function typoLimit(length: number): number {
  return length <= 4 ? 1 : length <= 8 ? 2 : 3;
}

/**
 * Up to `limit` of `candidates` that `word` is probably a mistyping of, best first (case-insensitive):
 * equal but for case; then candidates containing the word, or contained in it (at least 3 characters);
 * then those within `typoLimit` edits, nearest first. Ties keep the candidates' order (callers list
 * the most important first, e.g. biggest retained).
 */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  const max = typoLimit(w.length);
  const scored: { name: string; rank: number; order: number }[] = [];
  let order = 0;
  const seen = new Set<string>();
  for (const name of candidates) {
    if (seen.has(name)) continue;
    seen.add(name);
    const c = name.toLowerCase();
    let rank: number;
    if (c === w) rank = 0;
    else if (w.length >= 3 && (c.includes(w) || (c.length >= 3 && w.includes(c)))) rank = 1;
    else {
      const d = editDistance(w, c, max);
      if (d > max) continue;
      rank = 1 + d;
    }
    scored.push({ name, rank, order: order++ });
  }
  scored.sort((x, y) => x.rank - y.rank || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.name);
}
