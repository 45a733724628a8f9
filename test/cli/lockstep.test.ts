// The lockstep mode (--sync): every block once at full speed, either side first, a peer that dies or is stopped,
// and a reader that counts what a faulty writer gets wrong.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, Tracker, collect, hex, keyExists, orphanKeys, shmkit, shmkitAsync, sleep, uniqueKey, until } from '../helpers/index.js';
import { assertNothingLeft as nothingLeft } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

describe('lockstep (--sync)', () => {
  test('100000 blocks at full speed: none missing, duplicated or torn', async () => {
    const key = t.key(uniqueKey());
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '100000', '--interval', '0']);
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(rr.status, 0, rr.stderr);
    assert.equal(wr.stdout.split('\n').length, 100000 + 3);
    assert.match(rr.stderr, /^100000 blocks: 0 missing, 0 duplicate, 0 torn\n$/m);
    nothingLeft(key);
  });

  test('a reader at full speed prints every block, as the seed\'s reader does, to a pipe and to a file', async () => {
    const blocks = 20000;
    const dir = mkdtempSync(join(tmpdir(), 'shmkit-lockstep-'));
    try {
      for (const sink of ['pipe', 'file'] as const) {
        const key = t.key(uniqueKey());
        const file = join(dir, 'out');
        const fd = openSync(file, 'w');
        const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', String(blocks), '--interval', '0']);
        const r = sink === 'pipe' ? shmkitAsync(['reader', '--key', hex(key), '--sync'])
          : collect(spawn(process.execPath, [BIN, 'reader', '--key', hex(key), '--sync'], { stdio: ['ignore', fd, 'pipe'] }));
        const [wr, rr] = await Promise.all([w.done, r.done]);
        closeSync(fd);
        assert.equal(wr.status, 0, wr.stderr);
        assert.equal(rr.status, 0, rr.stderr);
        const out = sink === 'pipe' ? rr.stdout : readFileSync(file, 'latin1');
        assert.equal(out.match(/^segment contains : \n"[A-Z[]{1023}"\nReading Process: Shared Memory: Read 1023 bytes$/gm)?.length, blocks, sink);
        assert.match(out, /Reading Process: Complete\n$/, `${sink}: to the end`);
        nothingLeft(key);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('either side may start first; --json gives every block once, in order', async () => {
    for (const readerFirst of [true, false]) {
      const key = t.key(uniqueKey());
      const start = () => [
        shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '60', '--interval', '0']),
        shmkitAsync(['reader', '--key', hex(key), '--sync', '--json']),
      ] as const;
      let w: ReturnType<typeof shmkitAsync>;
      let r: ReturnType<typeof shmkitAsync>;
      if (readerFirst) {
        r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--json']);
        await sleep(300);
        w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '60', '--interval', '0']);
      } else {
        [w, r] = start();
      }
      const [wr, rr] = await Promise.all([w.done, r.done]);
      assert.equal(wr.status, 0, wr.stderr);
      assert.equal(rr.status, 0, rr.stderr);
      const blocks = rr.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(blocks.length, 60);
      blocks.forEach((b, i) => {
        assert.equal(b.seq, i);
        assert.equal(b.bytes, 1023);
        assert.equal(b.torn, false);
        assert.equal(b.letter, String.fromCharCode(i < 26 ? 65 + i : (i - 26) % 26 === 0 ? 91 : 65 + ((i - 26) % 26)));
        assert.ok(!Number.isNaN(Date.parse(b.time)));
      });
      nothingLeft(key);
    }
  });

  test('the writer killed: the reader notices and exits 3; what the writer made stays, an orphan', async () => {
    const key = t.key(uniqueKey());
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '1000', '--interval', '50ms']);
    await until(() => keyExists(key).sem, 'the writer to make the segment and the set');
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
    await until(() => w.out().split('\n').length > 3, 'blocks to flow');
    w.child.kill('SIGKILL');
    const killedAt = Date.now();
    const rr = await r.done;
    const took = Date.now() - killedAt;
    assert.equal(rr.status, 3, rr.stderr);
    assert.match(rr.stderr, /^shmkit: reader: the writer died before it completed \(\d+ blocks? read\)\n$/);
    assert.ok(took < 10_000, `noticed after ${took} ms`);
    // The reader removes only what it made itself: the dead writer's segment and set stay, and the segment is an orphan.
    assert.deepEqual(keyExists(key), { shm: true, sem: true });
    assert.ok(orphanKeys().includes(key), 'rm --orphans would take it');
  });

  test('the reader killed: the writer notices, exits 3 and leaves nothing', async () => {
    const key = t.key(uniqueKey());
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '1000', '--interval', '20ms']);
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
    await until(() => w.out().split('\n').length > 3, 'blocks to flow');
    r.child.kill('SIGKILL');
    const wr = await w.done;
    assert.equal(wr.status, 3, wr.stderr);
    assert.match(wr.stderr, /^shmkit: writer: the reader went away after \d+ of 1000 blocks\n$/m);
    nothingLeft(key);
  });
});

describe('signals', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${sig} to the writer: it removes its segment and exits ${code}; the reader exits 3`, async () => {
      const key = t.key(uniqueKey());
      const w = shmkitAsync(['writer', '--key', hex(key), '--interval', '200ms', '--count', '50']);
      await until(() => w.out().includes('Wrote 1023 bytes'), 'the first block');
      const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']);
      await until(() => r.out().includes('Read 1023 bytes'), 'the reader to read a block');
      w.child.kill(sig);
      const [wr, rr] = await Promise.all([w.done, r.done]);
      assert.equal(wr.status, code, wr.stderr);
      assert.match(wr.stderr, new RegExp(`^shmkit: writer: interrupted by ${sig}\\n$`));
      assert.equal(rr.status, 3, rr.stderr);
      assert.match(rr.stderr, /the writer removed segment \d+ before it completed/);
      nothingLeft(key);
    });

    test(`${sig} to a --sync reader waiting alone: it removes what it created and exits ${code}`, async () => {
      const key = t.key(uniqueKey());
      const r = shmkitAsync(['reader', '--key', hex(key), '--sync']);
      await until(() => keyExists(key).sem, 'the reader to make its semaphore set');
      await sleep(300); // and to register and wait
      assert.deepEqual(keyExists(key), { shm: true, sem: true });
      r.child.kill(sig);
      const rr = await r.done;
      assert.equal(rr.status, code, rr.stderr);
      nothingLeft(key);
    });

    test(`${sig} to a --sync writer between blocks of an --interval: it stops there, not after the last block`, async () => {
      const key = t.key(uniqueKey());
      const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '100000', '--interval', '50ms']);
      const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
      await until(() => w.out().split('Wrote 1023 bytes').length > 3, 'the reader to take blocks');
      w.child.kill(sig);
      const [wr, rr] = await Promise.all([w.done, r.done]);
      assert.equal(wr.status, code, wr.stderr);
      // The signal cut the pause short; a writer that went on anyway ran through all 100000 blocks at full speed.
      const written = wr.stdout.split('Wrote 1023 bytes').length - 1;
      assert.ok(written < 1000, `${written} blocks written after the signal`);
      assert.equal(rr.status, 3, rr.stderr);
      nothingLeft(key);
    });

    test(`${sig} to a --sync writer mid-stream: both end, nothing left`, async () => {
      const key = t.key(uniqueKey());
      const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '100000000', '--interval', '0']);
      const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
      // The first block needs no reader (EMPTY starts at 1); a second one proves the reader has joined and taken one.
      // Before that, a busy machine can start the reader after the writer is gone: it would wait for the next writer.
      await until(() => w.out().split('Wrote 1023 bytes').length > 2, 'the reader to take a block');
      w.child.kill(sig);
      const [wr, rr] = await Promise.all([w.done, r.done]);
      assert.equal(wr.status, code, wr.stderr);
      assert.equal(rr.status, 3, rr.stderr);
      assert.match(rr.stderr, /the writer ended before it completed/);
      nothingLeft(key);
    });
  }
});

describe('the lockstep reader counts what goes wrong', () => {
  test('a writer that skips, repeats and tears blocks: the reader counts each and exits 1', async () => {
    const sys = await import('../../src/sys/libc.js');
    const { SyncSems, EMPTY, FULL, SEQ_LO, READER, WRITER } = await import('../../src/core/demo/lockstep.js');
    const { blockFor } = await import('../../src/core/demo/protocol.js');
    const { Attachment, memoryOf } = await import('../../src/core/segment.js');
    const key = t.key(uniqueKey());
    // This test process plays a faulty writer on the real protocol.
    const sems = await SyncSems.open(key, () => false);
    const id = sys.shmget(key, 1032, 0o644 | 0o1000);
    const seg = Attachment.attach({ id });
    try {
      assert.ok(sems.register(WRITER, true));
      const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--json']);
      while (sems.value(READER) === 0) await sleep(20);
      const mem = memoryOf(seg, 0, 1032);
      const words = new Int32Array(mem.buffer, mem.byteOffset, 2);
      const waitEmpty = async () => {
        while (!sems.take(EMPTY)) await sleep(1);
      };
      const publish = async (index: number, torn = false) => {
        await waitEmpty();
        const block = Buffer.from(blockFor(index));
        if (torn) block.fill(0x41, 0, 500);
        mem.set(block, 8);
        words[0] = 1023;
        sys.semSetVal(sems.id, SEQ_LO, index + 1);
        sems.post([[FULL, 1, 0]]);
      };
      for (const [index, torn] of [[0, false], [2, false], [2, false], [3, true], [30, false]] as const) await publish(index, torn);
      await waitEmpty();
      words[1] = 1;
      sems.post([[FULL, 1, 0]]);
      await waitEmpty();
      const rr = await r.done;
      assert.equal(rr.status, 1, rr.stderr);
      assert.match(rr.stderr, /^5 blocks: 27 missing, 1 duplicate, 1 torn$/m);
      const seqs = rr.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(seqs.map((b) => b.seq), [0, 2, 2, 3, 4]);
      assert.deepEqual(seqs.map((b) => b.torn), [false, false, false, true, false]);
    } finally {
      seg.detach();
      sems.remove();
      sys.shmRmid(id);
    }
    nothingLeft(key);
  });

  test('a second --sync reader on the same key is refused', async () => {
    const key = t.key(uniqueKey());
    const first = shmkitAsync(['reader', '--key', hex(key), '--sync']);
    await until(() => keyExists(key).sem, 'the first reader');
    await sleep(300);
    const second = shmkit(['reader', '--key', hex(key), '--sync']);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /^shmkit: reader: another --sync reader is running on key/);
    first.child.kill('SIGTERM');
    assert.equal((await first.done).status, 143);
    nothingLeft(key);
  });
});

test('a second --sync writer on the same key is refused and leaves the first one be', async () => {
  const key = t.key(uniqueKey());
  const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '5', '--interval', '100ms']);
  await until(() => keyExists(key).sem, 'the first writer');
  await sleep(300);
  const second = shmkit(['writer', '--key', hex(key), '--sync']);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /^shmkit: writer: another writer is running on key/);
  const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--quiet']);
  const [wr, rr] = await Promise.all([w.done, r.done]);
  assert.equal(wr.status, 0, wr.stderr);
  assert.equal(rr.status, 0, rr.stderr);
  assert.match(rr.stderr, /5 blocks: 0 missing, 0 duplicate, 0 torn/);
  nothingLeft(key);
});

test('a --sync reader shows each block as it comes when the writer takes its time', async () => {
  const key = t.key(uniqueKey());
  const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '6', '--interval', '500ms']);
  const r = shmkitAsync(['reader', '--key', hex(key), '--sync']);
  await until(() => r.out().includes('Read 1023 bytes'), 'the first block on the reader\'s stdout');
  assert.equal(w.child.exitCode, null, 'the writer is still writing: the line was not held back until the end');
  const [wr, rr] = await Promise.all([w.done, r.done]);
  assert.equal(wr.status, 0, wr.stderr);
  assert.equal(rr.status, 0, rr.stderr);
  nothingLeft(key);
});

// A side killed while it holds the token of the handshake (the reader after taking FULL, before giving EMPTY; the
// writer after taking EMPTY, before publishing FULL), and replaced before its partner noticed (the partner is
// SIGSTOPped meanwhile): the kernel gives the token back at the death (SEM_UNDO), so the next one goes on and no block
// is lost. Without that both would wait for ever. The dying side is this test's child playing it on the real protocol.
describe('a side killed holding the token', () => {
  /** A child process that joins the session under key as role, takes its token, says 'holding' and waits to be killed. */
  async function holdToken(key: number, role: 'reader' | 'writer') {
    const code = `
      const { SyncSems, EMPTY, FULL, READER, WRITER } = await import(${JSON.stringify(new URL('../../src/core/demo/lockstep.ts', import.meta.url).href)});
      const sems = await SyncSems.open(${key}, () => false);
      if (!sems.register(${role === 'reader' ? 'READER' : 'WRITER'}, true)) throw new Error('not registered');
      while (!sems.take(${role === 'reader' ? 'FULL' : 'EMPTY'}));
      console.log('holding');
      setInterval(() => {}, 1 << 30);`;
    const { spawn } = await import('node:child_process');
    const { collect } = await import('../helpers/index.js');
    const c = collect(spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await until(() => c.out().includes('holding') || c.child.exitCode !== null, `the ${role} to take its token`);
    assert.ok(c.out().includes('holding'), c.err());
    return c;
  }

  test('the reader killed after taking FULL: the next reader gets that block, and every one after it', async (tc) => {
    const key = t.key(uniqueKey());
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '5', '--interval', '0']);
    // A failure below must not leave the writer stopped: the run would wait for it for ever.
    tc.after(() => {
      w.child.kill('SIGKILL');
    });
    await until(() => w.out().includes('Wrote 1023 bytes'), 'the first block');
    const dying = await holdToken(key, 'reader');
    w.child.kill('SIGSTOP'); // the writer must not see the reader go
    dying.child.kill('SIGKILL');
    await dying.done;
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--json']);
    await until(() => /"seq"/.test(r.out()) || r.err() !== '' || shmkit(['list', '--json']).stdout.includes('"nattch": 2'), 'the next reader to join');
    w.child.kill('SIGCONT');
    const [wr, rr] = await Promise.race([Promise.all([w.done, r.done]), sleep(20_000).then(() => assert.fail('the pair waits for ever'))]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(rr.status, 0, rr.stderr);
    assert.deepEqual(rr.stdout.trim().split('\n').map((l) => JSON.parse(l).seq), [0, 1, 2, 3, 4]);
    assert.match(rr.stderr, /5 blocks: 0 missing, 0 duplicate, 0 torn/);
    nothingLeft(key);
  });

  test('the writer killed after taking EMPTY, before the waiting reader saw it: the next writer goes on', async (tc) => {
    const key = t.key(uniqueKey());
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync', '--json']);
    // A failure below must not leave the reader stopped: the run would wait for it for ever.
    tc.after(() => {
      r.child.kill('SIGKILL');
    });
    await until(() => keyExists(key).sem, 'the reader to make the set');
    await sleep(300); // registered, and waiting for FULL
    r.child.kill('SIGSTOP'); // the reader must not see the writer come and go
    const dying = await holdToken(key, 'writer');
    dying.child.kill('SIGKILL');
    await dying.done;
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '3', '--interval', '0']);
    await sleep(300);
    r.child.kill('SIGCONT');
    const [wr, rr] = await Promise.race([Promise.all([w.done, r.done]), sleep(20_000).then(() => assert.fail('the pair waits for ever'))]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(rr.status, 0, rr.stderr);
    assert.deepEqual(rr.stdout.trim().split('\n').map((l) => JSON.parse(l).seq), [0, 1, 2]);
    nothingLeft(key);
  });
});
