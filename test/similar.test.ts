// "Did you mean" (src/similar.ts): the edit distance and the choice of suggestions, as tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance, typoLimit } from '../src/similar.js';

test('editDistance: Damerau–Levenshtein (a swap of neighbours costs 1)', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['partition', 'partition', 0],
    ['partiton', 'partition', 1], // deletion
    ['partitions', 'partition', 1], // insertion
    ['partitoin', 'partition', 1], // swap
    ['stast', 'stats', 1], // swap
    ['sql', 'sq', 1],
    ['leaks', 'leak', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment: no edit of a swapped pair
  ];
  for (const [a, b, want] of cases) {
    assert.equal(editDistance(a, b), want, `${a} / ${b}`);
    assert.equal(editDistance(b, a), want, `${b} / ${a}`);
  }
  // With a limit, anything beyond it reads as limit + 1.
  assert.equal(editDistance('abcdefgh', 'zyxwvuts', 2), 3);
  assert.equal(editDistance('a', 'abcdef', 2), 3);
  assert.equal(editDistance('partiton', 'partition', 2), 1);
});

test('typoLimit grows with the length of the word', () => {
  assert.deepEqual([1, 4, 5, 8, 9, 30].map(typoLimit), [1, 1, 2, 2, 3, 3]);
});

test('closest: case, then substrings, then nearest edits; ties keep the given order; at most 3', () => {
  const commands = ['ingest', 'partition', 'retainers', 'stats', 'inspect', 'dominators', 'strings', 'sql', 'diff', 'leaks', 'suspects'];
  const cases: [string, string[]][] = [
    ['partiton', ['partition']],
    ['PARTITION', ['partition']],
    ['stast', ['stats']],
    ['leak', ['leaks']],
    ['dif', ['diff']],
    ['inspekt', ['inspect']],
    ['retainer', ['retainers']],
    ['xyz', []],
    ['a', []],
  ];
  for (const [word, want] of cases) assert.deepEqual(closest(word, commands), want, word);
  const classes = ['Session', 'Map', 'SessionStore', 'Array', 'Object', 'session-ish', 'Set'];
  assert.deepEqual(closest('Sesion', classes), ['Session']);
  // Case-insensitive equality first, then the names containing the word, in the given (retained) order.
  assert.deepEqual(closest('session', classes), ['Session', 'SessionStore', 'session-ish']);
  assert.deepEqual(closest('Sess', classes), ['Session', 'SessionStore', 'session-ish']);
  assert.deepEqual(closest('Mapp', classes), ['Map']);
  assert.deepEqual(closest('Se', classes, 5), ['Set']); // too short for substrings; one edit away
  assert.deepEqual(closest('Mapp', ['Map', 'Map', 'Map']), ['Map'], 'duplicates once');
});
