// The /proc/sysvipc/shm parser: it scans in place for speed (issue 6); it must read every line as the plain
// split-on-blanks parser it replaced did (kept here as the reference), on real and on generated text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseProcSysvipcShm } from '../../src/core/proc.js';
import { SHM_DEST, SHM_LOCKED } from '../../src/sys/constants.js';
import type { SegmentInfo } from '../../src/core/types.js';

function reference(text: string): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/[ \t]+/);
    if (f.length < 14) continue;
    const mode = parseInt(f[2] as string, 8);
    const rss = f[14];
    const swap = f[15];
    out.push({
      key: Number(f[0]) >>> 0, id: Number(f[1]), mode: mode & 0o777, dest: (mode & SHM_DEST) !== 0,
      locked: (mode & SHM_LOCKED) !== 0, size: BigInt(f[3] as string), cpid: Number(f[4]), lpid: Number(f[5]),
      nattch: Number(f[6]), uid: Number(f[7]), gid: Number(f[8]), cuid: Number(f[9]), cgid: Number(f[10]),
      atime: Number(f[11]), dtime: Number(f[12]), ctime: Number(f[13]),
      rss: rss !== undefined && /^[0-9]+$/.test(rss) ? BigInt(rss) : null,
      swap: swap !== undefined && /^[0-9]+$/.test(swap) ? BigInt(swap) : null,
    });
  }
  return out;
}

const HEADER = '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n';

test('reads this machine\'s /proc/sysvipc/shm as the reference does', () => {
  const text = readFileSync('/proc/sysvipc/shm', 'latin1');
  assert.deepEqual(parseProcSysvipcShm(text), reference(text));
});

test('reads generated lines as the reference does: signed keys, sizes past 2^53, odd spacing, short and long lines', () => {
  const digits = (max: bigint) => fc.bigInt({ min: 0n, max }).map(String);
  const field = fc.oneof(digits(2n ** 31n), digits(2n ** 64n), fc.integer({ min: -0x80000000, max: -1 }).map(String),
    fc.constantFrom('0', '-', '+5', '0x10', 'abc', '18446744073709551615', '9007199254740993'));
  const mode = fc.oneof(fc.integer({ min: 0, max: 0o7777 }).map((m) => m.toString(8)), fc.constantFrom('-7', '9', '777x'));
  const size = fc.oneof(digits(2n ** 64n), fc.constantFrom('-5', '0'));
  const gap = fc.oneof(fc.constant(' '), fc.stringMatching(/^ {1,4}$/), fc.stringMatching(/^[ \t]{1,4}$/)); // the kernel's shape, and not
  const line = fc.tuple(field, field, mode, size, fc.array(field, { minLength: 8, maxLength: 14 }), fc.array(gap, { minLength: 20, maxLength: 20 }), gap, gap)
    .map(([key, id, m, sz, rest, gaps, lead, tail]) => lead + [key, id, m, sz, ...rest].map((x, i) => (i ? gaps[i] : '') + x).join('') + tail);
  fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
    const text = HEADER + lines.join('\n') + (lines.length % 2 ? '\n' : '');
    assert.deepEqual(parseProcSysvipcShm(text), reference(text));
  }), { seed: 6, numRuns: 400 });
});

test('an empty file and a header alone are no segments', () => {
  assert.deepEqual(parseProcSysvipcShm(''), []);
  assert.deepEqual(parseProcSysvipcShm(HEADER), []);
});
