import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printable } from '../../../src/cli/format/printable.js';

test('printable: controls, bidi and line separators escaped; the rest as it is', () => {
  assert.equal(printable('node'), 'node');
  assert.equal(printable('jörg 日本'), 'jörg 日本');
  assert.equal(printable('\x1b]0;pwn\x07\x1b[2J\nid 9'), '\\e]0;pwn\\a\\e[2J\\nid 9');
  assert.equal(printable('a\\b\x00\x7f\x9b'), 'a\\\\b\\x00\\x7f\\x9b');
  assert.equal(printable('x\u202eevil\u2028'), 'x\\u202eevil\\u2028');
});

test('printable: nothing a terminal acts on survives, and distinct names stay distinct', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
    const pa = printable(a);
    assert.doesNotMatch(pa, /[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]/);
    if (a !== b) assert.notEqual(pa, printable(b));
  }), { seed: 21, numRuns: 2000 });
});
