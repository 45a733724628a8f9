// shmkit as people use it: typed into two real terminals (tmux panes, each a pty with a shell), as the README shows.
// Output goes to a terminal here, not to a pipe, and Ctrl-C comes from the terminal driver to the foreground job.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHMKIT_SH, Tracker, hex, requires, sleep, uniqueKey } from '../helpers/index.js';
import { assertNothingLeft } from '../helpers/assert.js';

const t = new Tracker();
// A server of our own, its socket in a folder of our own (-S): never the user's sessions, and kill-server ends
// everything it ran. At exit - also when the runner ends this file with SIGTERM, as the helpers' handler exits - the
// server is killed and then its folder removed.
const SOCKET_DIR = mkdtempSync(join(tmpdir(), 'shmkit-tmux-'));
const SOCKET = join(SOCKET_DIR, 'tmux');
process.once('exit', () => {
  spawnSync('tmux', ['-S', SOCKET, 'kill-server'], { stdio: 'ignore' });
  rmSync(SOCKET_DIR, { recursive: true, force: true });
});
const shmkit = SHMKIT_SH;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-S', SOCKET, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Types a line into a pane, as a user would, and presses Enter. */
function type(pane: string, line: string): void {
  tmux('send-keys', '-t', pane, '-l', line);
  tmux('send-keys', '-t', pane, 'Enter');
}

/** What the pane shows, its scrollback included, without colours; wrapped lines joined, trailing blanks cut. */
const screen = (pane: string) => tmux('capture-pane', '-p', '-J', '-t', pane, '-S', '-500').replace(/ +$/gm, '');

async function waitFor(pane: string, re: RegExp, what: string): Promise<string> {
  const end = Date.now() + 60_000;
  for (;;) {
    const text = screen(pane);
    if (re.test(text)) return text;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what} in pane ${pane}; it shows:\n${text}`);
    await sleep(50);
  }
}

/** Runs a command line in a pane and waits for its exit status, which the shell prints after it. */
let runs = 0;
async function run(pane: string, line: string): Promise<{ status: number; text: string }> {
  const mark = `exit-${++runs}`;
  type(pane, `${line}; echo "${mark}=$?"`);
  const text = await waitFor(pane, new RegExp(`^${mark}=\\d+$`, 'm'), line);
  return { status: Number(new RegExp(`^${mark}=(\\d+)$`, 'm').exec(text)![1]), text };
}

/** Two fresh terminals side by side, each a sh with a plain prompt, wide enough that no line wraps. */
let windows = 0;
function twoTerminals(): [string, string] {
  const name = `w${++windows}`;
  if (windows === 1) tmux('new-session', '-d', '-s', 'shm', '-n', name, '-x', '250', '-y', '50', 'env PS1="$ " sh');
  else tmux('new-window', '-t', 'shm', '-n', name, 'env PS1="$ " sh');
  tmux('split-window', '-h', '-t', `shm:${name}`, 'env PS1="$ " sh');
  return [`shm:${name}.0`, `shm:${name}.1`];
}

describe('in two terminals', { skip: requires(['tmux']) }, () => {
  after(() => {
    spawnSync('tmux', ['-S', SOCKET, 'kill-server']);
    t.cleanup();
  });

  test("the README's two terminals: create and write in one, read and stat in the other, rm in the first", async () => {
    const [one, two] = twoTerminals();
    const key = hex(t.key(uniqueKey()));
    assert.equal((await run(one, `id=$(${shmkit} create --key ${key} --size 4096)`)).status, 0);
    assert.equal((await run(one, `${shmkit} attach-write --key ${key} --data 'hello from terminal 1' --nul`)).status, 0);
    const read = await run(two, `${shmkit} read --key ${key}`);
    assert.equal(read.status, 0);
    assert.match(read.text, /^hello from terminal 1$/m);
    const stat = await run(two, `${shmkit} stat --key ${key}`);
    assert.equal(stat.status, 0);
    assert.match(stat.text, new RegExp(`${key}`));
    assert.equal((await run(one, `${shmkit} rm --key ${key}`)).status, 0);
    assertNothingLeft(Number(key));
  });

  test('the polling reader in one terminal, the writer in the other: the seed\'s lines on both screens', async () => {
    const [one, two] = twoTerminals();
    const key = hex(t.key(uniqueKey()));
    // The reader first (it makes the segment and polls it empty): on a busy machine a reader started after the
    // writer had gone would wait for the next writer.
    const reader = run(two, `${shmkit} reader --key ${key} --interval 150ms`);
    await waitFor(two, /^Reading Process: Shared Memory: Read 0 bytes$/m, 'the reader\'s first poll');
    const w = await run(one, `${shmkit} writer --key ${key} --count 4 --interval 400ms`);
    assert.equal(w.status, 0, w.text);
    assert.match(w.text, /^(Writing Process: Shared Memory Write: Wrote 1023 bytes\n){4}Writing Process: Wrote 4 times\nWriting Process: Complete$/m);
    const r = await reader;
    assert.equal(r.status, 0, r.text);
    // Which blocks a polling reader catches depends on the machine's load; each one it prints is whole.
    assert.match(r.text, /^segment contains :\n"([A-D])\1{1022}"\nReading Process: Shared Memory: Read 1023 bytes$/m);
    assert.match(r.text, /^Reading Process: Reading Done, Detaching Shared Memory\nReading Process: Complete$/m);
    assertNothingLeft(Number(key));
  });

  test('Ctrl-C in the writer\'s terminal mid-stream of a --sync pair: writer 130, reader 3, nothing left', async () => {
    const [one, two] = twoTerminals();
    const key = hex(t.key(uniqueKey()));
    const reader = run(two, `${shmkit} reader --key ${key} --sync --quiet`);
    await sleep(300);
    const writer = run(one, `${shmkit} writer --key ${key} --sync --count 100000000 --interval 1ms`);
    // More than one block: the reader has joined and is taking them.
    await waitFor(one, /(Wrote 1023 bytes\n[\s\S]*){3}/, 'blocks to flow');
    tmux('send-keys', '-t', one, 'C-c');
    const w = await writer;
    const r = await reader;
    assert.equal(w.status, 130, w.text);
    assert.match(w.text, /^(\^C)?shmkit: writer: interrupted by SIGINT$/m, "the terminal echoes ^C, then the message");
    assert.equal(r.status, 3, r.text);
    assert.match(r.text, /^shmkit: reader: the writer ended before it completed \(\d+ blocks read\)$/m);
    assertNothingLeft(Number(key));
  });

  test('Ctrl-C to demo in a terminal reaches its writer and reader too: all say so, exit 130, nothing left', async () => {
    const [one] = twoTerminals();
    const key = hex(t.key(uniqueKey()));
    const demo = run(one, `${shmkit} demo --key ${key} --sync --interval 100ms --count 500`);
    await waitFor(one, /(\[reader\] Reading Process: Shared Memory: Read 1023 bytes\n[\s\S]*){2}/, 'blocks to flow');
    tmux('send-keys', '-t', one, 'C-c');
    const d = await demo;
    assert.equal(d.status, 130, d.text);
    assert.match(d.text, /^(\^C)?\[writer\] shmkit: writer: interrupted by SIGINT$/m, d.text.slice(-1500));
    assert.match(d.text, /^(\^C)?\[reader\] shmkit: reader: interrupted by SIGINT$/m);
    assert.match(d.text, /^shmkit: demo: interrupted by SIGINT$/m);
    assertNothingLeft(Number(key));
  });
});
