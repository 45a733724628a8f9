// watchSegment without a layout keeps one copy of the segment, compared a MiB at a time: its changes must be those
// of byteChanges over the whole segment, however they fall across the pieces.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tracker } from '../helpers/index.js';
import { Attachment } from '../../src/core/attachment.js';
import { createSegment } from '../../src/core/create.js';
import { byteChanges, watchSegment } from '../../src/core/watch.js';

const t = new Tracker();
after(() => t.cleanup());

const MiB = 1 << 20;
const SIZE = 2 * MiB + 4096 + 17; // three pieces, the last a short one

test('changes across 1 MiB pieces are byteChanges of the whole, and the sample holds the new bytes', async () => {
  const id = t.shm(createSegment({ key: 'private', size: BigInt(SIZE), mode: 0o600 }).id);
  const a = Attachment.attach({ id });
  try {
    const samples = watchSegment({ id }, { intervalMs: 0 });
    await samples.next(); // the first sample: the copy
    // Writes that cluster at the pieces' edges, so that ranges meet across them, and gaps under and over 8 bytes.
    const edge = fc.constantFrom(0, MiB - 9, MiB - 3, MiB, MiB + 5, 2 * MiB - 1, 2 * MiB + 3, SIZE - 4);
    const write = fc.record({ at: fc.oneof(edge, fc.nat(SIZE - 1)), shift: fc.integer({ min: -12, max: 12 }), data: fc.uint8Array({ minLength: 1, maxLength: 20 }) });
    await fc.assert(fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 6 }), async (writes) => {
      const before = Buffer.from(a.read(0, SIZE));
      for (const w of writes) {
        const at = Math.min(Math.max(0, w.at + w.shift), SIZE - w.data.length);
        a.write(at, Buffer.from(w.data));
      }
      const after = Buffer.from(a.read(0, SIZE));
      const { value } = await samples.next();
      assert.ok(value);
      assert.deepEqual(value.changes, byteChanges(before, after));
      assert.ok(value.bytes.equals(after), 'the sample holds the segment as it is now');
    }), { seed: 7, numRuns: 60 });
    await samples.return(undefined);
  } finally {
    a.detach();
  }
});
