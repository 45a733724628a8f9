// list --json writes the records of eachSegment, which keep the kernel's own digits (integerText); their JSON must
// be the very text of plain parsed records (parseProcSysvipcShm), for any line the kernel could write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SegmentLines, parseProcSysvipcShm, visitProcSysvipcShm } from '../../../src/core/proc.js';
import { segmentJsonText } from '../../../src/cli/format/fields.js';

const HEADER = '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n';

test('the kernel-digits JSON of a segment is the general JSON, byte for byte', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff }).map(String);
  const pid = fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 4194304 }).map(String));
  const time = fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 4102444800 }).map(String), fc.constant('8640000000000')); // the last second a Date holds
  const big = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
  const key = fc.oneof(fc.constant('0'), fc.integer({ min: -0x80000000, max: 0x7fffffff }).map(String));
  const perms = fc.integer({ min: 0, max: 0o3777 }).map((m) => m.toString(8));
  const line = fc.record({ key, id: u32, perms, size: big, cpid: pid, lpid: pid, nattch: fc.nat(9).map(String), uid: u32, gid: u32,
    cuid: u32, cgid: u32, atime: time, dtime: time, ctime: time, rss: fc.option(big), swap: big })
    .map((r) => [r.key, r.id, r.perms, r.size, r.cpid, r.lpid, r.nattch, r.uid, r.gid, r.cuid, r.cgid, r.atime, r.dtime, r.ctime,
      ...(r.rss === null ? [] : [r.rss, r.swap])].map((x) => x.padStart(10)).join(' '));
  const names = { user: (u: number) => (u === 0 ? 'root' : u % 3 === 0 ? 'we "quote" ü' : u % 3 === 1 ? null : `u${u}`), group: () => null };
  const attachedSets = [[], [{ pid: 1, command: 'sh\\n"x"', attachments: 2, pageSize: 4096 }, { pid: 2, command: 'node', attachments: 1, pageSize: 4096 }]];
  fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.nat(1), (lines, which) => {
    const attached = attachedSets[which] ?? [];
    const text = HEADER + lines.join('\n') + '\n';
    const plain = parseProcSysvipcShm(text);
    let fast = 0;
    visitProcSysvipcShm(text, (s) => {
      assert.notEqual(Object.getPrototypeOf(s), Object.prototype, `a line of the kernel's shape went the general way: ${lines.join(' / ')}`);
      assert.equal(segmentJsonText(s, names, attached, '  '), segmentJsonText(plain[fast++]!, names, attached, '  '));
    });
    assert.equal(fast, lines.length);
  }), { seed: 26, numRuns: 300 });
});

test('the file read in pieces (SegmentLines) gives the records of the whole text, wherever the pieces break', () => {
  const n = fc.integer({ min: 0, max: 99999 }).map(String);
  // Lines of the kernel's shape and others (too few fields, extra blanks, a last line without its newline).
  const kernel = fc.array(n, { minLength: 14, maxLength: 14 }).map((f) => f.map((x, i) => (i === 2 ? '666' : x).padStart(10)).join(' '));
  const other = fc.oneof(fc.constant('garbage'), fc.array(n, { minLength: 14, maxLength: 16 }).map((f) => `\t${f.join('   ')}  `));
  fc.assert(fc.property(fc.array(fc.oneof(kernel, other), { maxLength: 12 }), fc.boolean(), fc.array(fc.nat(400), { maxLength: 8 }), (lines, newline, cuts) => {
    const text = HEADER + lines.join('\n') + (newline && lines.length ? '\n' : '');
    const whole = parseProcSysvipcShm(text);
    const got: unknown[] = [];
    const pieces = new SegmentLines('plain', (s) => got.push(s));
    let at = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      pieces.push(text.slice(at, Math.max(at, cut)));
      at = Math.max(at, cut);
    }
    pieces.push(text.slice(at));
    pieces.end();
    assert.deepEqual(got, whole);
  }), { seed: 18, numRuns: 500 });
});
