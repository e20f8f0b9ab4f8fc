// DevTools' Statistics view (docs/format.md#statistics) plus the store's counts: what `heapdiff stats` shows.

import { dbOf, type StoreLike } from '../store/queries/common.js';
import { statisticsRows, storeCounts, type StoreCounts } from '../store/queries/stats.js';

export interface StatsResult extends StoreCounts {
  /** Flat categories as stored (bytes): total, v8heap, code, strings, js_arrays, system, other_js, native, typed_arrays, other_native, extra_native. */
  categories: Record<string, number>;
  /** The same numbers in DevTools' `getStatistics()` shape. */
  devtools: {
    total: number;
    native: { total: number; typedArrays: number };
    v8heap: { total: number; code: number; jsArrays: number; strings: number; system: number };
  };
}

export const CATEGORY_ORDER = [
  'total',
  'v8heap',
  'code',
  'strings',
  'js_arrays',
  'system',
  'other_js',
  'native',
  'typed_arrays',
  'other_native',
  'extra_native',
] as const;

export function stats(store: StoreLike): StatsResult {
  const db = dbOf(store);
  const rows = statisticsRows(db);
  const categories: Record<string, number> = {};
  for (const k of CATEGORY_ORDER) categories[k] = rows.get(k) ?? 0;
  for (const [k, v] of rows) if (!(k in categories)) categories[k] = v;
  const g = (k: string) => categories[k] ?? 0;
  return {
    ...storeCounts(db),
    categories,
    devtools: {
      total: g('total'),
      native: { total: g('native'), typedArrays: g('typed_arrays') },
      v8heap: { total: g('v8heap'), code: g('code'), jsArrays: g('js_arrays'), strings: g('strings'), system: g('system') },
    },
  };
}
