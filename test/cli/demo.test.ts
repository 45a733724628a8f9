// The seed's writer and reader: interoperation with the seed's C programs in both start orders, what happens when
// one side dies, and the demo command that runs both.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  SEED_SOURCES, Tracker, collect, compileC, compileSeed, haveOriginalSeed, hex, keyExists, orphanKeys, requires, shmkit, shmkitAsync, sleep, uniqueKey, until, type Run,
} from '../helpers/index.js';
import { BIN } from '../helpers/index.js';
import { assertNothingLeft as nothingLeft } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

const BLOCK_LINES = (letter: string) => ['segment contains : ', `"${letter.repeat(1023)}"`, 'Reading Process: Shared Memory: Read 1023 bytes'];
const EMPTY_LINES = ['segment contains : ', '""', 'Reading Process: Shared Memory: Read 0 bytes'];
const WRITER_LINES = (n: number) => [
  ...Array.from({ length: n }, () => 'Writing Process: Shared Memory Write: Wrote 1023 bytes'),
  `Writing Process: Wrote ${n} times`, 'Writing Process: Complete', '',
].join('\n');

/** Checks a reader's stdout is the seed's lines exactly: polls of a block (or of the empty segment), in order, then the end. */
function assertReaderOutput(stdout: string, letters: string): string {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.deepEqual(lines.slice(-2), ['Reading Process: Reading Done, Detaching Shared Memory', 'Reading Process: Complete']);
  const body = lines.slice(0, -2);
  assert.equal(body.length % 3, 0, 'three lines per poll');
  let seen = '';
  for (let i = 0; i < body.length; i += 3) {
    const poll = body.slice(i, i + 3);
    if (poll[1] === '""') {
      assert.deepEqual(poll, EMPTY_LINES);
      assert.equal(seen, '', 'an empty segment only before the first block');
      continue;
    }
    const letter = poll[1]![1]!;
    assert.deepEqual(poll, BLOCK_LINES(letter));
    if (!seen.endsWith(letter)) seen += letter;
  }
  // A polling reader may miss a block or see one twice (that is what --sync is for), but never out of order. How
  // many it catches depends on the machine's load (a test file runs beside another), so one is all that is asked.
  assert.ok(isSubsequence(seen, letters), `${seen} in order within ${letters}`);
  assert.ok(seen.length >= 1, `saw ${seen}`);
  return seen;
}

function isSubsequence(a: string, b: string): boolean {
  let j = 0;
  for (const c of b) if (c === a[j]) j++;
  return j === a.length;
}

function runSeed(exe: string, sleepMs: number) {
  return collect(spawn(exe, [], { env: { ...process.env, SEED_SLEEP_MS: String(sleepMs) }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

// Every interoperation test runs with the project's own C programs, which behave as the seed's (test/fixtures/seed),
// and again with the seed's originals where ../shared/seed is beside the project.
if (!haveOriginalSeed) {
  test("the seed's original C programs", { skip: '../shared/seed is not beside the project: the tests below ran with test/fixtures/seed only' }, () => {});
}

for (const source of SEED_SOURCES) describe(`with ${source.name}`, { skip: requires(['cc']) }, () => {
  test('the C writer feeds shmkit reader (writer first)', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = runSeed(seed.writer, 500);
    await until(() => keyExists(key).shm, 'the writer to make the segment');
    // The writer waits while the reader starts: on a busy machine a reader that came after the writer had gone would
    // make a new segment and poll it for ever.
    w.child.kill('SIGSTOP');
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '250ms']);
    await until(() => r.out().includes('segment contains'), 'the reader\'s first poll');
    w.child.kill('SIGCONT');
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0);
    assert.equal(wr.stdout, WRITER_LINES(5));
    assert.equal(rr.status, 0, rr.stderr);
    assertReaderOutput(rr.stdout, 'ABCDE');
    nothingLeft(key);
  });

  test('the C writer feeds shmkit reader (reader first, it creates the segment)', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '150ms']);
    while (!r.out().includes('segment contains')) await sleep(20); // it has made the segment and polled it
    const w = runSeed(seed.writer, 150);
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0);
    assert.equal(rr.status, 0, rr.stderr);
    assert.ok(rr.stdout.startsWith(EMPTY_LINES.join('\n')), 'the reader saw the empty segment first');
    assertReaderOutput(rr.stdout, 'ABCDE');
    nothingLeft(key);
  });

  test('shmkit writer feeds the C reader (writer first), with the C writer\'s exact lines', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = shmkitAsync(['writer', '--key', hex(key), '--interval', '200ms']);
    await sleep(300);
    const r = runSeed(seed.reader, 200);
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(wr.stdout, WRITER_LINES(5));
    assert.equal(rr.status, 0, rr.stderr);
    assertReaderOutput(rr.stdout, 'ABCDE');
    nothingLeft(key);
  });

  test('shmkit writer feeds the C reader (reader first)', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const r = runSeed(seed.reader, 150);
    await sleep(300);
    const w = shmkitAsync(['writer', '--key', hex(key), '--interval', '150ms', '--count', '7']);
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(wr.stdout, WRITER_LINES(7));
    assert.equal(rr.status, 0);
    assertReaderOutput(rr.stdout, 'ABCDEFG');
    nothingLeft(key);
  });

  test('the C reader runs beside a --sync pair and still ends', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '6', '--interval', '100ms']);
    const s = shmkitAsync(['reader', '--key', hex(key), '--sync']);
    await sleep(150);
    const c = runSeed(seed.reader, 100);
    const [wr, sr, cr] = await Promise.all([w.done, s.done, c.done]);
    assert.equal(wr.status, 0, wr.stderr);
    assert.equal(sr.status, 0, sr.stderr);
    assert.equal(cr.status, 0);
    assertReaderOutput(sr.stdout, 'ABCDEF');
    assert.match(cr.stdout, /Reading Process: Complete\n$/);
    nothingLeft(key);
  });

  test('shmkit reader --sync before the C writer (no semaphores): it says what it waits for, and ends when the segment completes', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const r = shmkitAsync(['reader', '--key', hex(key), '--sync']);
    await until(() => r.err().includes('waiting for a writer'), 'the reader to say what it waits for');
    assert.match(r.err(), new RegExp(`^shmkit: reader: waiting for a writer: run "shmkit writer --sync --key ${hex(key)}" in another terminal\n`));
    const w = runSeed(seed.writer, 100);
    const [wr, rr] = await Promise.all([w.done, Promise.race([r.done, sleep(20_000).then(() => assert.fail('the reader waits for ever'))])]);
    assert.equal(wr.status, 0);
    assert.equal(rr.status, 1, rr.stderr);
    assert.match(rr.stderr, /\nshmkit: reader: a writer without --sync completed the segment: no block came in lockstep; run the writer with --sync too\n$/);
    nothingLeft(key);
  });

  test("the segment commands work on the C writer's segment while it runs", async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = runSeed(seed.writer, 600);
    await until(() => keyExists(key).shm, 'the writer to make the segment');
    await until(() => shmkit(['read', '--key', hex(key), '--offset', '8', '--length', '1']).stdout !== '', 'the first block');
    // Stopped, the writer can neither change the block nor remove the segment while a busy machine runs the checks.
    w.child.kill('SIGSTOP');
    const st = JSON.parse(shmkit(['stat', '--key', hex(key), '--json']).stdout);
    assert.equal(st.size, 1032);
    assert.equal(st.mode, 0o644);
    assert.equal(st.attached.length, 1);
    assert.equal(st.attached[0].command, 'shm_write');
    const text = shmkit(['read', '--key', hex(key), '--offset', '8']).stdout;
    assert.match(text, /^([A-E])\1{1022}\n$/);
    const cnt = shmkit(['read', '--key', hex(key), '--length', '4', '--format', 'raw']).stdout;
    assert.equal(Buffer.from(cnt, 'latin1').readInt32LE(0), 1023);
    w.child.kill('SIGCONT');
    assert.equal((await w.done).status, 0);
    nothingLeft(key);
  });

  test('the C writer killed: shmkit reader says so and exits 3, and leaves the writer\'s segment (an orphan) be', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = runSeed(seed.writer, 1000);
    await until(() => keyExists(key).shm, 'the writer to make the segment');
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '200ms']);
    await until(() => r.out().includes('Read 1023 bytes'), 'the reader to read a block');
    w.child.kill('SIGKILL');
    const rr = await r.done;
    assert.equal(rr.status, 3, rr.stderr);
    assert.match(rr.stderr, /^shmkit: reader: the writer \(pid \d+\) died before it completed \(\d+ blocks? read\)\n$/);
    assert.deepEqual(keyExists(key), { shm: true, sem: false }, 'the reader removes only what it made');
    assert.ok(orphanKeys().includes(key));
  });
});

for (const source of SEED_SOURCES) describe(`a writer that died before the reader came (${source.name})`, { skip: requires(['cc']) }, () => {
  test('the reader finds the C writer\'s segment with its creator dead, says so and exits 3', async () => {
    const key = t.key(uniqueKey());
    const seed = compileSeed(key, source);
    const w = runSeed(seed.writer, 3000);
    await until(() => keyExists(key).shm, 'the writer to make the segment');
    await sleep(100);
    w.child.kill('SIGKILL');
    await w.done;
    const rr = await shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']).done;
    assert.equal(rr.status, 3, rr.stderr);
    assert.match(rr.stderr, /^shmkit: reader: the writer \(pid \d+\) died before it completed \(1 block read\)\n$/);
    assert.deepEqual(keyExists(key), { shm: true, sem: false }, 'the reader removes only what it made');
    assert.ok(orphanKeys().includes(key));
  });
});

describe('the polling reader removes only the segment it made', () => {
  test('a segment made by shmkit create: Ctrl-C to the reader leaves it', async () => {
    const key = t.key(uniqueKey());
    assert.equal(shmkit(['create', '--key', hex(key), '--size', '1032']).status, 0);
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']);
    await until(() => r.out().includes('segment contains'), 'the first poll');
    r.child.kill('SIGINT');
    const rr = await r.done;
    assert.equal(rr.status, 130, rr.stderr);
    assert.deepEqual(keyExists(key), { shm: true, sem: false }, 'created by shmkit create, not by the reader');
  });

  test('a segment filled by attach-write: the last writer is gone, the reader says so (exit 3) and leaves it', async () => {
    const key = t.key(uniqueKey());
    assert.equal(shmkit(['create', '--key', hex(key), '--size', '1032']).status, 0);
    assert.equal(shmkit(['attach-write', '--key', hex(key), '--offset', '8', '--data', 'hello', '--nul']).status, 0);
    const rr = await shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']).done;
    assert.equal(rr.status, 3, rr.stderr);
    assert.match(rr.stdout, /^segment contains : \n"hello"\n/);
    assert.deepEqual(keyExists(key), { shm: true, sem: false });
  });

  test('a segment the reader made itself: Ctrl-C removes it', async () => {
    const key = t.key(uniqueKey());
    const r = shmkitAsync(['reader', '--key', hex(key), '--interval', '100ms']);
    await until(() => r.out().includes('segment contains'), 'the first poll');
    r.child.kill('SIGINT');
    assert.equal((await r.done).status, 130);
    nothingLeft(key);
  });

  // The writer sets complete, then removes the segment (the seed's order). If that happens between the reader's look
  // at complete and its IPC_STAT, the reader saw "not complete" and then "removed": the normal end, not exit 3.
  // strace holds every shmctl of the reader for 2 s, so the writer, which acts 3 s after the reader attached, does
  // it inside the reader's first IPC_STAT of a poll (the first shmctl, in attach, ends 2 s after it attached).
  test('a writer that completes and removes the segment between two looks is a normal end', { skip: requires(['cc', 'strace']) }, async () => {
    const key = t.key(uniqueKey());
    const writer = compileC(`#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>
struct shmseg { int cnt; int complete; char buf[1024]; };
int main(void) {
  int id = shmget(${hex(key)}, sizeof(struct shmseg), 0644 | IPC_CREAT);
  struct shmseg *p = shmat(id, NULL, 0);
  if (id < 0 || p == (void *)-1) return 1;
  memset(p->buf, 'A', 1023); p->buf[1023] = 0; p->cnt = 1023; p->complete = 0;
  printf("ready\\n"); fflush(stdout);
  struct shmid_ds ds;
  do { usleep(1000); shmctl(id, IPC_STAT, &ds); } while (ds.shm_nattch < 2);
  usleep(3000000);
  p->complete = 1;
  shmdt(p);
  shmctl(id, IPC_RMID, 0);
  return 0;
}`, 'complete-then-remove');
    const w = collect(spawn(writer, [], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await until(() => w.out().includes('ready'), 'the writer');
    const r = collect(spawn('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=shmctl', '-e', 'inject=shmctl:delay_enter=2000000',
      process.execPath, BIN, 'reader', '--key', hex(key), '--interval', '10ms'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const [wr, rr] = await Promise.all([w.done, r.done]);
    assert.equal(wr.status, 0);
    assert.equal(rr.status, 0, rr.stderr);
    assert.match(rr.stdout, /Reading Process: Reading Done, Detaching Shared Memory\nReading Process: Complete\n$/);
    nothingLeft(key);
  });
});

describe('demo', () => {
  test('writer and reader in one terminal, lines prefixed', async () => {
    const key = t.key(uniqueKey());
    const r: Run = await shmkitAsync(['demo', '--key', hex(key), '--interval', '150ms', '--count', '3']).done;
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.every((l) => l.startsWith('[writer] ') || l.startsWith('[reader] ')), r.stdout);
    assert.ok(lines.includes('[writer] Writing Process: Complete'));
    assert.ok(lines.includes('[reader] Reading Process: Complete'));
    nothingLeft(key);
  });

  test('--sync: every block once', async () => {
    const key = t.key(uniqueKey());
    const r = await shmkitAsync(['demo', '--key', hex(key), '--sync', '--interval', '0', '--count', '30']).done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('[reader] segment contains')).length, 30);
    assert.match(r.stdout, /\[reader\] 30 blocks: 0 missing, 0 duplicate, 0 torn/);
    nothingLeft(key);
  });

  test('--count 3 --interval 0 always ends: the reader is there before the writer can finish', async () => {
    for (let i = 0; i < 3; i++) {
      const key = t.key(uniqueKey());
      const d = shmkitAsync(['demo', '--key', hex(key), '--count', '3', '--interval', '0']);
      const r = await Promise.race([d.done, sleep(20_000).then(() => null)]);
      if (r === null) {
        d.child.kill('SIGKILL');
        assert.fail(`run ${i}: still running after 20 s: ${d.out().slice(-300)}`);
      }
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^\[writer\] Writing Process: Complete$/m);
      assert.match(r.stdout, /^\[reader\] Reading Process: Complete$/m);
      nothingLeft(key);
    }
  });

  test('bad input', () => {
    const r = shmkit(['writer', '--interval', 'soon']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^shmkit: writer: invalid duration 'soon'/);
    assert.equal(shmkit(['reader', '--key', '0']).status, 2);
    assert.equal(shmkit(['writer', '--count', '0']).status, 2);
  });
});
