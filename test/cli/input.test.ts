// attach-write's input is never half-written and never held twice: whatever the input does (grow while it is read,
// report a size of 0, come through a pipe of any length), it goes into the segment whole or not at all, with memory
// bounded by the room in the segment, and a refusal gives true sizes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { BIN, SHMKIT_SH, Tracker, collect, requires, run, shmkit, tempDir, uniqueKey } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());

function segment(size: bigint): number {
  const key = uniqueKey();
  return t.shm(sys.shmget(key, size, 0o600 | 0o1000 | 0o2000), key);
}

/** The segment's bytes, through a read-only attachment. */
function contents(id: number, length: number): Buffer {
  const r = shmkit(['read', '--id', String(id), '--format', 'raw', '--length', String(length)]);
  assert.equal(r.status, 0, r.stderr);
  return Buffer.from(r.stdout, 'latin1');
}

for (const how of ['--file', '--stdin'] as const) {
  // The file fits when the command starts (8 MiB of 64), and a writer appends to it all along; strace holds each of
  // the command's splice(2) calls for 30 ms, so that the file is past the room before the command reaches its end
  // (10 ms was not enough for the writer on a machine running two suites at once: the file still fit).
  test(`${how}: a file that grows while it is read past the room is refused before a byte is written, with true sizes`, { skip: requires(['strace']) }, async () => {
    const room = 64 << 20;
    const id = segment(BigInt(room));
    const dir = tempDir();
    const file = join(dir, 'growing');
    // Starts at 8 MiB, which fits, and a writer appends to it as fast as it can until there is more than the room.
    const fd = openSync(file, 'w');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 8; i++) writeSync(fd, chunk);
    const grower = collect(spawn('sh', ['-c', `while :; do head -c 1048576 /dev/zero | tr '\\\\0' b; done >> '${file}'`], { stdio: 'ignore' }));
    try {
      const slow = `strace -f -qq -o /dev/null -e trace=splice -e inject=splice:delay_enter=30000 ${SHMKIT_SH}`;
      const cmd = how === '--file' ? `${slow} attach-write --id ${id} --file '${file}'` : `${slow} attach-write --id ${id} --stdin < '${file}'`;
      const r = run('sh', ['-c', cmd]);
      grower.child.kill('SIGKILL');
      await grower.done;
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^shmkit: attach-write: the input is larger than the ${room} bytes that fit in segment ${id} from offset 0 \\(it had more than ${room}\\); nothing was written\\n$`));
      assert.ok(contents(id, 4096).equals(Buffer.alloc(4096)), 'the segment is untouched');
    } finally {
      grower.child.kill('SIGKILL');
      closeSync(fd);
    }
  });
}

test('--file of a file whose st_size is 0 (/proc) is read to its end', () => {
  const id = segment(65536n);
  const r = shmkit(['attach-write', '--id', String(id), '--file', '/proc/self/status']);
  assert.equal(r.status, 0, r.stderr);
  const text = contents(id, 65536).toString('latin1');
  assert.match(text, /^Name:\t/);
  assert.match(text, /\nVmRSS:/);
});

/**
 * attach-write --stdin fed by producer (a shell pipeline) straight through a pipe; returns how it ended and its peak
 * RSS in KiB (VmHWM, sampled while it runs).
 */
async function feed(id: number, producer: string): Promise<{ status: number | null; stderr: string; peakKiB: number }> {
  const p = spawn('sh', ['-c', producer], { stdio: ['ignore', 'pipe', 'inherit'] });
  const c = collect(spawn(process.execPath, [BIN, 'attach-write', '--id', String(id), '--stdin'], { stdio: [p.stdout!, 'pipe', 'pipe'] }));
  let peakKiB = 0;
  const sample = setInterval(() => {
    try {
      peakKiB = Math.max(peakKiB, Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${c.child.pid}/status`, 'latin1'))?.[1] ?? 0));
    } catch {
      // exited
    }
  }, 20);
  const r = await c.done;
  clearInterval(sample);
  return { status: r.status, stderr: r.stderr, peakKiB };
}

test('--stdin from a pipe: the input fits or nothing is written, with memory bounded well below the input', async () => {
  const id = segment(256n << 20n);
  const over = await feed(id, `head -c $((256 * 1048576 + 1)) /dev/zero | tr '\\0' x`);
  assert.equal(over.status, 2, over.stderr);
  assert.match(over.stderr, /larger than the 268435456 bytes that fit .* nothing was written\n$/);
  assert.ok(contents(id, 4096).equals(Buffer.alloc(4096)), 'untouched');
  const exact = await feed(id, `head -c $((256 * 1048576)) /dev/zero | tr '\\0' y`);
  assert.equal(exact.status, 0, exact.stderr);
  const all = contents(id, 256 << 20);
  assert.ok(all.every((b) => b === 0x79), 'written whole');
  // The input is held outside the process (in a memfd), not gathered in its heap: the RSS stays far below 256 MiB.
  for (const r of [over, exact]) assert.ok(r.peakKiB > 0 && r.peakKiB < 160 * 1024, `peak RSS ${r.peakKiB} KiB`);
});

test('--stdin of more than 4 GiB from a pipe fills the segment', async () => {
  const size = (4n << 30n) + 4096n;
  const id = segment(size);
  try {
    const r = await feed(id, `yes zzzzzzz | head -c ${size}`);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.peakKiB < 512 * 1024, `peak RSS ${r.peakKiB} KiB`);
    const tail = shmkit(['read', '--id', String(id), '--format', 'raw', '--offset', String(size - 4n)]);
    assert.equal(tail.stdout, 'zzz\n');
  } finally {
    sys.shmRmid(id);
  }
});
