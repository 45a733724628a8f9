// Load and faults: 16 lockstep pairs at once, 4000 segments, and signals at random moments over many runs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { requires, hex, keyExists, orphanKeys, ROOT, shmkitAsync, sleep, Tracker, uniqueKey, until } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());

test('16 lockstep pairs at once, on distinct keys: every block exactly once in each', async () => {
  const count = 1500;
  const pairs = Array.from({ length: 16 }, () => {
    const key = t.key(uniqueKey());
    return {
      key,
      w: shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', String(count), '--interval', '0']),
      r: shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']),
    };
  });
  for (const p of pairs) {
    const [wr, rr] = await Promise.all([p.w.done, p.r.done]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(rr.status, 0, rr.stderr);
    assert.match(rr.stderr, new RegExp(`^${count} blocks: 0 missing, 0 duplicate, 0 torn$`, "m"));
    assert.deepEqual(keyExists(p.key), { shm: false, sem: false });
  }
});

test('4000 segments created, listed and removed', { skip: requires(['unshare'], "4000 segments next to the other tests' would pass shmmni") }, () => {
  const r = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'test', 'fixtures', 'many.mjs'), '4000'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.equal(o.created, 4000);
  assert.equal(o.listStatus, 0);
  assert.equal(o.listed, 4000);
  assert.equal(o.sizesMatch, true);
  assert.equal(o.ipcsLines, 4000 + 5);
  assert.deepEqual(o.rmStatus, [0, 0, 0, 0]);
  assert.equal(o.rmStderr, '');
  assert.equal(o.left, 0);
});

type Signal = 'SIGKILL' | 'SIGINT' | 'SIGTERM';
const exitFor = (sig: Signal, r: { status: number | null; signal: NodeJS.Signals | null }) =>
  sig === 'SIGKILL' ? r.signal === 'SIGKILL' : r.status === (sig === 'SIGINT' ? 130 : 143);

test('signals at random moments, over many runs: the survivor ends cleanly, and only a SIGKILLed writer leaves anything', async () => {
  const runs = fc.sample(fc.record({
    sync: fc.boolean(),
    victim: fc.constantFrom('writer' as const, 'reader' as const),
    signal: fc.constantFrom<Signal>('SIGKILL', 'SIGINT', 'SIGTERM'),
    delay: fc.integer({ min: 0, max: 400 }),
  }), { seed: 42, numRuns: 24 });
  for (const run of runs) {
    const key = t.key(uniqueKey());
    const what = JSON.stringify(run);
    const w = shmkitAsync(['writer', '--key', hex(key), '--count', run.sync ? '100000000' : '40', '--interval', run.sync ? '0' : '50ms', ...(run.sync ? ['--sync'] : [])]);
    // The writer makes the segment (and, with --sync, the set) before the reader starts: it is their creator.
    await until(() => (run.sync ? keyExists(key).sem : keyExists(key).shm), `the writer to make the session (${what})`);
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '50ms', ...(run.sync ? ['--sync', '--quiet'] : [])]);
    // In --sync the first block needs no reader (EMPTY starts at 1): a second one proves the reader has joined.
    await until(() => (run.sync ? w.out().split('Wrote 1023').length > 2 : r.out().includes('Read 1023 bytes')), `the reader to take a block (${what})`);
    await sleep(run.delay);
    (run.victim === 'writer' ? w : r).child.kill(run.signal);
    const [wr, rr] = await Promise.all([w.done, r.done]);
    if (run.victim === 'writer') {
      assert.ok(exitFor(run.signal, wr), `writer: ${wr.status}/${wr.signal} ${what}`);
      assert.equal(rr.status, 3, `reader: ${rr.stderr} ${what}`);
      assert.match(rr.stderr, /^shmkit: reader: the writer (died|ended|removed segment \d+|\(pid \d+\) died) .*before it completed/m, what);
    } else {
      assert.ok(exitFor(run.signal, rr), `reader: ${rr.status}/${rr.signal} ${what}`);
      if (run.sync) {
        assert.equal(wr.status, 3, `writer: ${wr.stderr} ${what}`);
        assert.match(wr.stderr, /^shmkit: writer: the reader went away after \d+ of 100000000 blocks$/m, what);
      } else {
        assert.equal(wr.status, 0, `writer (the seed's writer does not need a reader): ${wr.stderr} ${what}`);
      }
    }
    for (const out of [wr.stderr, rr.stderr]) assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
    // Each side removes only what it made. A writer that cleans up (any end but SIGKILL) leaves nothing; a SIGKILLed
    // one leaves what it made, and its segment is an orphan for rm --orphans.
    const writerKilled = run.victim === 'writer' && run.signal === 'SIGKILL';
    assert.deepEqual(keyExists(key), writerKilled ? { shm: true, sem: run.sync } : { shm: false, sem: false }, `what is left (${what})`);
    if (writerKilled) assert.ok(orphanKeys().includes(key), `the dead writer's segment is an orphan (${what})`);
  }
});
