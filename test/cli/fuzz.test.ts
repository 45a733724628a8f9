// Fuzzing with fast-check, fixed seeds and bounded runs: the command line (in its own IPC namespace) and the core API.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError, OperationError } from '../../src/core/errors.js';
import { parseAge, parseCount, parseDuration, parseFtok, parseId, parseKey, parseMode, parseSize } from '../../src/core/parse.js';
import { Attachment, createSegment } from '../../src/core/segment.js';
import { ROOT, Tracker, requires } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());


test('random command lines: no stack trace, no death by signal, no segment left by a failure', { skip: requires(['unshare'], 'random commands include rm --all --yes') }, () => {
  const r = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'test', 'fixtures', 'fuzz-cli.mjs'), '80', '20261126'], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.runs, 80);
  assert.deepEqual(out.failures, []);
  assert.deepEqual(out.left, []);
});

test('parsers: any string gives a value or an InputError, nothing else', () => {
  const parsers: Array<(s: string) => unknown> = [parseKey, parseId, parseSize, parseDuration, parseAge, parseMode, parseFtok, (s) => parseCount(s, 'offset')];
  fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: parsers.length - 1 }), (s, i) => {
    try {
      parsers[i]!(s);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
    }
  }), { seed: 11, numRuns: 3000 });
  fc.assert(fc.property(fc.stringMatching(/^(0x[0-9a-f]{1,9}|[0-9]{1,11}|-[0-9]{1,11}|0[0-7]{1,12})$/), (s) => {
    try {
      const k = parseKey(s);
      return Number.isInteger(k) && k >= 0 && k <= 0xffffffff;
    } catch (e) {
      return e instanceof InputError;
    }
  }), { seed: 12, numRuns: 2000 });
});

test('an attachment under random reads, writes and fills: only in bounds, and exactly what a model predicts', () => {
  const size = 4096;
  const r = createSegment({ key: 'private', size: BigInt(size) });
  t.shm(r.id);
  const seg = Attachment.attach({ id: r.id });
  const model = Buffer.alloc(size);
  const num = fc.oneof(fc.integer({ min: -10, max: size + 10 }), fc.constantFrom(0, size, size - 1, 1.5, -0, Number.MAX_SAFE_INTEGER, 2 ** 53, NaN));
  const op = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), offset: num, data: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ kind: fc.constant('fill' as const), offset: num, length: num, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('read' as const), offset: num, length: num }),
  );
  try {
    fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      for (const o of ops) {
        const inBounds = (off: number, len: number) => Number.isSafeInteger(off) && Number.isSafeInteger(len) && off >= 0 && len >= 0 && off + len <= size;
        try {
          if (o.kind === 'write') {
            seg.write(o.offset, o.data);
            assert.ok(inBounds(o.offset, o.data.length), 'a write out of bounds was allowed');
            model.set(o.data, o.offset);
          } else if (o.kind === 'fill') {
            seg.fill(o.offset, o.length, o.byte);
            assert.ok(inBounds(o.offset, o.length), 'a fill out of bounds was allowed');
            model.fill(o.byte, o.offset, o.offset + o.length);
          } else {
            const got = seg.read(o.offset, o.length);
            assert.ok(inBounds(o.offset, o.length), 'a read out of bounds was allowed');
            assert.deepEqual(got, model.subarray(o.offset, o.offset + o.length));
          }
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          assert.ok(e instanceof InputError, `not an InputError: ${e}`);
          const len = o.kind === 'write' ? o.data.length : o.length;
          assert.ok(!inBounds(o.offset, len), `refused an in-bounds ${o.kind} at ${o.offset}+${len}`);
        }
      }
      assert.deepEqual(seg.read(0, size), model);
    }), { seed: 13, numRuns: 300 });
  } finally {
    seg.detach();
  }
  assert.throws(() => seg.read(0, 1), OperationError);
});
