// Signals and closed pipes: every command ends on SIGINT, SIGTERM and SIGHUP within a second with its cleanup and exit
// code, even with stdout blocked; and ends with 141, printing nothing, when stdout closes early, help and version
// included.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, SHMKIT_SH, Tracker, collect, hex, keyExists, run, shmkit, shmkitAsync, sleep, tempDir, uniqueKey, until } from '../helpers/index.js';
import { assertNothingLeft as nothingLeft } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

/** bin/shmkit with its stdout on a FIFO that a process holds open and never reads: writes block once it is full. */
function withBlockedStdout(args: string[]) {
  const dir = tempDir();
  const fifo = join(dir, 'out');
  run('mkfifo', [fifo]);
  const sink = spawn('sh', ['-c', `exec sleep 600 < '${fifo}'`], { stdio: 'ignore' });
  const child = collect(spawn('sh', ['-c', `exec ${SHMKIT_SH} ${args.map((a) => `'${a}'`).join(' ')} > '${fifo}'`], { stdio: ['ignore', 'ignore', 'pipe'] }));
  return { ...child, stopSink: () => sink.kill('SIGKILL') };
}

/** Waits until size() holds still for half a second (a stalled pipeline), for at most 30 s. */
async function stalled(size: () => number): Promise<void> {
  for (let last = -1, end = Date.now() + 30_000; ; await sleep(500)) {
    const now = size();
    if (now === last && now > 0) return;
    last = now;
    if (Date.now() > end) assert.fail('never stalled');
  }
}

/** How long the process takes to end after sig, in ms; fails past limitMs. */
async function endsWithin(c: ReturnType<typeof collect>, sig: NodeJS.Signals, limitMs: number) {
  const at = Date.now();
  c.child.kill(sig);
  const r = await Promise.race([c.done, sleep(limitMs).then(() => null)]);
  if (r === null) {
    c.child.kill('SIGKILL');
    assert.fail(`still running ${limitMs} ms after ${sig}`);
  }
  return { ...r, took: Date.now() - at };
}

describe('a signal stops a command whose stdout is blocked', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    test(`reader --sync, stdout full: ${sig} ends it within a second, exit ${code}; the writer notices`, async () => {
      const key = t.key(uniqueKey());
      const w = shmkitAsync(['writer', '--key', hex(key), '--sync', '--count', '100000000', '--interval', '0']);
      await until(() => keyExists(key).sem, 'the writer');
      const r = withBlockedStdout(['reader', '--key', hex(key), '--sync']);
      try {
        // A block is about 1 KiB of output: the pipe is full after some 60 blocks, the reader's own queue after a
        // thousand more; then the pair stalls, the reader waiting on its stdout.
        await stalled(() => w.out().length);
        const rr = await endsWithin(r, sig, 1000);
        assert.equal(rr.status, code, rr.stderr);
        assert.equal(rr.stderr, `shmkit: reader: interrupted by ${sig}\n`);
        const wr = await w.done;
        assert.equal(wr.status, 3, wr.stderr);
        nothingLeft(key);
      } finally {
        r.stopSink();
      }
    });
  }

  test('writer --sync, stdout full, no reader: SIGHUP ends it with 129 and removes its segment and set', async () => {
    const key = t.key(uniqueKey());
    const w = withBlockedStdout(['writer', '--key', hex(key), '--sync', '--count', '5', '--interval', '0']);
    try {
      await until(() => keyExists(key).sem, 'the writer');
      await sleep(300);
      const wr = await endsWithin(w, 'SIGHUP', 1000);
      assert.equal(wr.status, 129, wr.stderr);
      assert.equal(wr.stderr, 'shmkit: writer: interrupted by SIGHUP\n');
      nothingLeft(key);
    } finally {
      w.stopSink();
    }
  });
});

describe('stdout closed early: exit 141, nothing on stderr, the same cleanup as a signal', () => {
  for (const args of [['writer', '--sync'], ['writer'], ['reader']]) {
    test(`${args.join(' ')} --interval 0 | true, closing while it waits`, () => {
      const key = t.key(uniqueKey());
      // true has exited long before shmkit writes its first line (buffered at --interval 0, it goes out from a timer
      // or the loop): that write meets EPIPE. The --sync writer then waits for a reader, the polling reader for a
      // writer: the failed write must stop them, with their cleanup.
      const extra = args[0] === 'writer' && args.length === 1 ? ['--count', '1000000'] : ['--count', '3'];
      const cmd = `${SHMKIT_SH} ${args.join(' ')} --key ${hex(key)} --interval 0 ${args[0] === 'writer' ? extra.join(' ') : ''} | true; echo "status \${PIPESTATUS[0]}" >&2`;
      const r = run('bash', ['--norc', '-c', cmd]);
      assert.equal(r.stderr, 'status 141\n');
      nothingLeft(key);
    });
  }

  for (const sync of [false, true]) {
    test(`demo${sync ? ' --sync' : ''} | head -2`, () => {
      const key = t.key(uniqueKey());
      const r = run('bash', ['--norc', '-c', `${SHMKIT_SH} demo --key ${hex(key)} --interval 0 --count 100000 ${sync ? '--sync' : ''} | head -2 > /dev/null; echo "status \${PIPESTATUS[0]}" >&2`]);
      assert.equal(r.stderr, 'status 141\n');
      nothingLeft(key);
    });
  }

  for (const args of [['--help'], ['help'], ['stat', '--help'], ['help', 'list'], ['--version'], ['-V']]) {
    test(`shmkit ${args.join(' ')} to a closed pipe`, async () => {
      // The read end is closed before shmkit, still starting, writes a byte.
      const c = collect(spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
      c.child.stdout!.destroy();
      const r = await c.done;
      assert.equal(r.status, 141, r.stderr);
      assert.equal(r.stderr, '');
    });

    test(`shmkit ${args.join(' ')} > /dev/full: one line, exit 1`, () => {
      const r = run('sh', ['-c', `${SHMKIT_SH} ${args.join(' ')} > /dev/full`]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^shmkit: (\w+: )?cannot write to standard output: ENOSPC \(No space left on device\)\n$/);
    });
  }
});

test('shmkit with no command: its help on stderr, nothing on stdout, exit 2 (a usage error)', () => {
  const r = shmkit([]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Usage: shmkit \[options\] \[command\]\n/);
  const help = shmkit(['--help']);
  assert.equal(help.status, 0);
  assert.equal(help.stdout, r.stderr, '--help prints the same help, on stdout');
});
