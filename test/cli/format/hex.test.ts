// The hex dump written straight into bytes (issue 18: 64 MiB at xxd's speed, not ten times slower) says what the
// general text form says for any bytes at any offset, and what xxd says for a segment across the 1 MiB chunks the
// command reads in; text output goes a MiB at a time up to a NUL far into the segment.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { hexDump, hexLines } from '../../../src/cli/format/hex.js';
import { Tracker, run, shmkit, tempDir } from '../../helpers/index.js';
import { assertOk } from '../../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

test('hexDump is hexLines, byte for byte, for any bytes at any 16-aligned or unaligned offset', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(0xfffff), (bytes, offset) => {
    assert.equal(hexDump(bytes, offset).toString('latin1'), hexLines(bytes, offset));
  }), { seed: 18, numRuns: 500 });
  assert.equal(hexDump(Buffer.from('ab'), 0xfffffff0).toString('latin1'), hexLines(Buffer.from('ab'), 0xfffffff0));
  assert.equal(hexDump(Buffer.from('abc'), 0xffffffff).toString('latin1'), hexLines(Buffer.from('abc'), 0xffffffff), 'past 32 bits: the general form');
});

test('read --format hex of 3 MiB and a bit is xxd\'s output, across the chunks it reads in', () => {
  const dir = tempDir();
  const file = join(dir, 'r.bin');
  const bytes = randomBytes(3 * 1024 * 1024 + 77);
  writeFileSync(file, bytes);
  const id = t.shm(Number(shmkit(['create', '--private', '--size', String(bytes.length)]).stdout.trim()));
  assertOk(shmkit(['attach-write', String(id), '--file', file]));
  assert.ok(shmkit(['read', String(id), '--format', 'hex']).stdout === run('xxd', [file]).stdout, 'the whole dump');
  assert.equal(shmkit(['read', String(id), '--format', 'hex', '--offset', '1048570', '--length', '40']).stdout,
    run('xxd', ['-s', '1048570', '-l', '40', file]).stdout, 'rows that straddle a chunk');
});

test('read --format text of a segment whose NUL is past the first MiB: every byte before it, once', () => {
  const id = t.shm(Number(shmkit(['create', '--private', '--size', '4M', '--fill', 'q']).stdout.trim()));
  assertOk(shmkit(['attach-write', String(id), '--fill', '0x00', '--offset', String(1536 * 1024), '--length', '1']));
  const r = shmkit(['read', String(id)]);
  assertOk(r);
  assert.equal(r.stdout.length, 1536 * 1024 + 1);
  assert.ok(/^q+\n$/.test(r.stdout), 'q up to the NUL, then the newline text adds');
});
