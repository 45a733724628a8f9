// The demo protocol: the seed's letters, and the sequence number carried in the semaphore set across its wraps.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as sys from '../../src/sys/libc.js';
import { FULL, SEQ_HI, SEQ_LO, SEQ_MOD, SyncSems } from '../../src/core/demo/lockstep.js';
import { blockFor, letterFor } from '../../src/core/demo/protocol.js';
import { Tracker, uniqueKey } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());

test("letterFor is the seed's fill_buffer, block after block", () => {
  // fill_buffer from shm_write.c, step for step.
  let ch = 65;
  for (let i = 0; i < 200; i++) {
    assert.equal(letterFor(i), ch, `block ${i}`);
    if (ch > 122) ch = 65;
    if (ch >= 65 && ch <= 122 && ch >= 91 && ch <= 96) ch = 65;
    ch++;
  }
  const b = blockFor(3);
  assert.equal(b.length, 1024);
  assert.equal(b.subarray(0, 1023).every((x) => x === 68), true);
  assert.equal(b[1023], 0);
});

test('the sequence number survives the wraps of SEQ_LO and SEQ_HI', async () => {
  const key = t.key(uniqueKey());
  const sems = await SyncSems.open(key, () => false);
  try {
    assert.equal(sems.created, true);
    for (const published of [0, 1, 32766, 32767, 32768, 65535, SEQ_MOD - 2, SEQ_MOD - 1]) {
      sys.semSetVal(sems.id, SEQ_LO, published % 32768);
      sys.semSetVal(sems.id, SEQ_HI, Math.floor(published / 32768));
      assert.equal(sems.sequence(), published);
      sems.publish(published);
      assert.equal(sems.sequence(), (published + 1) % SEQ_MOD, `after publishing block ${published}`);
      assert.equal(sems.value(FULL), 1);
      assert.equal(sems.tryTake(FULL), true);
      assert.equal(sems.tryTake(FULL), false);
    }
    assert.ok(sems.value(SEQ_HI) >= 0);
  } finally {
    sems.remove();
  }
});
