import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { formatKey, parseAge, parseDuration, parseFtok, parseId, parseKey, parseMode, parseSize } from '../../src/core/parse.js';

test('keys: hex, octal and decimal as ipcrm -M reads them, within 32 bits', () => {
  assert.equal(parseKey('0x1234'), 0x1234);
  assert.equal(parseKey('0X1234'), 0x1234);
  assert.equal(parseKey('4660'), 0x1234);
  assert.equal(parseKey('011064'), 0x1234);
  assert.equal(parseKey('0'), 0);
  assert.equal(parseKey('0xffffffff'), 0xffffffff);
  assert.equal(parseKey('-1'), 0xffffffff, 'the signed form /proc/sysvipc/shm prints');
  assert.equal(parseKey('-907861004'), 0xc9e323f4);
  for (const bad of ['0x100000000', '4294967296', '-2147483649', 'abc', '0x', '12a', '', ' ', '1.5', '09', '0xg']) {
    assert.throws(() => parseKey(bad), InputError, bad);
  }
});

test('keys: every 32-bit key survives formatKey and parseKey', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (k) => parseKey(formatKey(k)) === k && parseKey(String(k)) === k),
    { seed: 42, numRuns: 2000 });
  fc.assert(fc.property(fc.integer({ min: -0x80000000, max: -1 }), (k) => parseKey(String(k)) === k >>> 0), { seed: 43, numRuns: 500 });
});

test('ids are non-negative decimal ints', () => {
  assert.equal(parseId('0'), 0);
  assert.equal(parseId('2147483647'), 2147483647);
  for (const bad of ['-1', '0x5', '2147483648', '1.0', 'x', '']) assert.throws(() => parseId(bad), InputError, bad);
});

test("sizes: ipcmk's suffixes, bases and fractions, exact", () => {
  const cases: Array<[string, bigint]> = [
    ['1', 1n], ['4096', 4096n], ['1K', 1024n], ['1k', 1024n], ['1KiB', 1024n], ['1KB', 1000n], ['1MB', 1000000n],
    ['2M', 2097152n], ['1G', 1073741824n], ['1.5K', 1536n], ['1.5M', 1572864n], ['0x10', 16n], ['010', 8n],
    ['1T', 1n << 40n], ['1E', 1n << 60n], ['15E', 15n << 60n], ['18446744073709551615', 18446744073709551615n], ['0.5K', 512n],
  ];
  for (const [text, want] of cases) assert.equal(parseSize(text), want, text);
  for (const bad of ['-5', 'abc', '', '1.5', '1X', '99999999999999999999', '16E', '1Z', 'K', '1KK', '1.K5']) {
    assert.throws(() => parseSize(bad), InputError, bad);
  }
});

test('sizes: n with a suffix is n times the power', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(['K', 1024n], ['M', 1024n ** 2n], ['KB', 1000n], ['MiB', 1024n ** 2n]),
    (n, [suffix, mul]) => parseSize(`${n}${suffix}`) === BigInt(n) * (mul as bigint)), { seed: 7, numRuns: 500 });
});

test('durations: 3s, 150ms, 0, plain milliseconds', () => {
  assert.equal(parseDuration('3s'), 3000);
  assert.equal(parseDuration('150ms'), 150);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('2m'), 120000);
  for (const bad of ['-1', '3h', 'abc', '', 's', '1e3']) assert.throws(() => parseDuration(bad), InputError, bad);
});

test('ages: a whole number and a unit, in seconds', () => {
  assert.equal(parseAge('90s'), 90);
  assert.equal(parseAge('10m'), 600);
  assert.equal(parseAge('2h'), 7200);
  assert.equal(parseAge('7d'), 604800);
  assert.equal(parseAge('0s'), 0);
  for (const bad of ['5', '1w', '1.5h', '-1d', 'h', '', '1 h', '9999999999d']) assert.throws(() => parseAge(bad), InputError, bad);
});

test('modes: octal permission bits only', () => {
  assert.equal(parseMode('644'), 0o644);
  assert.equal(parseMode('0600'), 0o600);
  assert.equal(parseMode('0'), 0);
  for (const bad of ['999', '0x1ff', '4755', '1644', '-1', 'rw', '']) assert.throws(() => parseMode(bad), InputError, bad);
});

test('ftok arguments', () => {
  assert.deepEqual(parseFtok('/etc/hostname'), { path: '/etc/hostname', proj: 1 });
  assert.deepEqual(parseFtok('/tmp:7'), { path: '/tmp', proj: 7 });
  assert.deepEqual(parseFtok('/tmp:a'), { path: '/tmp', proj: 97 });
  assert.deepEqual(parseFtok('/tmp:0x41'), { path: '/tmp', proj: 65 });
  for (const bad of ['/tmp:0', '/tmp:256', '/tmp:ab', ':5']) assert.throws(() => parseFtok(bad), InputError, bad);
});
