// shmkit watch (issue 17): against a live writer (the seed's, its struct's changes seen in order, ending at the
// segment's removal), never holding the segment between samples, a redraw in a real terminal (tmux) with the
// changed member highlighted, the list watch, --count, and a signal that stops it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, SHMKIT_SH, Tracker, collect, compileSeed, hex, requires, shInOwnIpcNamespace, shmkit, shmkitAsync, sleep, uniqueKey, until } from '../helpers/index.js';
import { assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

test('watch --layout shmseg follows a live seed writer: each block in order, then the removal (exit 0)', { skip: requires(['cc']) }, async () => {
  const key = uniqueKey();
  const { writer } = compileSeed(key);
  const w = collect(spawn(writer, [], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEED_SLEEP_MS: '1000' } }));
  try {
    await until(() => shmkit(['stat', '--key', hex(key)]).status === 0, 'the writer\'s segment');
    const id = JSON.parse(shmkit(['stat', '--key', hex(key), '--json']).stdout).id as number;
    t.shm(id, key);
    const watch = shmkitAsync(['watch', '--key', hex(key), '--layout', 'shmseg', '--interval', '50ms', '--json']);
    // Between samples the watch holds nothing: its maps show no System V mapping most of the time.
    let unmapped = 0;
    for (let i = 0; i < 10; i++) {
      await sleep(37);
      try {
        if (!readFileSync(`/proc/${watch.child.pid}/maps`, 'latin1').includes('/SYSV')) unmapped++;
      } catch {
        // it ended
      }
    }
    const r = await watch.done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `shmkit: watch: segment ${id} was removed\n`);
    assert.ok(unmapped >= 7, `the segment was mapped in ${10 - unmapped} of 10 looks`);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const letters = lines.flatMap((l) => l.changes.filter((c: { member: string }) => c.member === 'buf').map((c: { new: { text: string } }) => c.new.text[0]));
    // The watch starts while the writer runs: its first sample may hold A, or (on a busy machine) a later block. From
    // there on every block is seen, each once, in order, up to E.
    const seen = letters.filter((x: string) => x !== 'A');
    assert.ok(seen.length >= 2, `blocks seen: ${letters.join(' ')}`);
    assert.deepEqual(seen, ['B', 'C', 'D', 'E'].slice(4 - seen.length), `blocks seen: ${letters.join(' ')}`);
    // (complete goes to 1 right before the writer removes the segment: no sample can fall between the two.)
    assert.ok(lines.every((l) => typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time))));
  } finally {
    w.child.kill('SIGKILL');
    await w.done;
  }
});

test('watch without a layout: the changed byte ranges; --count ends it; SIGTERM stops it with 143 within a second', async () => {
  const id = t.shm(Number(shmkit(['create', '--private', '--size', '4096']).stdout.trim()));
  const watch = shmkitAsync(['watch', String(id), '--interval', '20ms', '--count', '2']);
  await sleep(300);
  assertOk(shmkit(['attach-write', String(id), '--data', 'abc', '--offset', '100']));
  await sleep(200);
  assertOk(shmkit(['attach-write', String(id), '--data', 'Z', '--offset', '4095']));
  const r = await watch.done;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\S+Z bytes 100\+3: 000000 -> 616263\n\S+Z bytes 4095\+1: 00 -> 5a\n$/);

  const idle = shmkitAsync(['watch', String(id), '--interval', '10s']);
  await sleep(400);
  const sent = Date.now();
  idle.child.kill('SIGTERM');
  const s = await idle.done;
  assert.equal(s.status, 143);
  assert.ok(Date.now() - sent < 1000, `stopped ${Date.now() - sent} ms after SIGTERM`);
  assert.equal(s.stdout, '');
});

test('watch with no segment named: segments that appear, change and go, one line each', { skip: requires(['root', 'unshare']) }, () => {
  const out = join(mkdtempSync(join(tmpdir(), 'shmkit-watch-')), 'out');
  const r = shInOwnIpcNamespace(`
${SHMKIT_SH} watch --interval 50ms --count 3 > "${out}" 2>&1 & w=$!
sleep 0.4; id=$(${SHMKIT_SH} create --size 100 --key 0x62000001)
sleep 0.3; ${SHMKIT_SH} chmod 600 $id
sleep 0.3; ${SHMKIT_SH} rm $id
wait $w; echo "exit $?" >> "${out}"`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /^\S+Z \+ segment (\d+) key 0x62000001 100 bytes owner root nattch 0\n\S+Z ~ segment \1 mode 644 -> 600\n\S+Z - segment \1 key 0x62000001\nexit 0\n$/);
});

test('on a terminal, watch redraws in place and highlights the member that changed (tmux)', { skip: requires(['tmux']) }, async () => {
  const id = t.shm(Number(shmkit(['create', '--private', '--size', '64']).stdout.trim()));
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-tmux-'));
  // One server per session: a new-session right after kill-server on the same socket races the server's exit
  // ("server exited unexpectedly").
  let socket = join(dir, 'tmux-color');
  const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  try {
    // Colour on (FORCE_COLOR: a CI's environment turns it off, even at a terminal): the change in reverse video.
    assert.equal(tmux('new-session', '-d', '-x', '100', '-y', '30', `env FORCE_COLOR=1 '${process.execPath}' '${BIN}' watch ${id} --layout 'int a; int b;' --interval 50ms`).status, 0);
    const screen = async (re: RegExp, escapes = false) => {
      const end = Date.now() + 20_000;
      for (;;) {
        const text = tmux('capture-pane', '-p', ...(escapes ? ['-e'] : [])).stdout;
        if (re.test(text)) return text;
        if (Date.now() > end) assert.fail(`the pane never showed ${re}; it shows:\n${text}`);
        await sleep(50);
      }
    };
    const first = await screen(/^ {2}a = 0$/m);
    assert.match(first, new RegExp(`^segment ${id}  key 0x00000000  64 bytes  nattch \\d  lpid `, 'm'));
    assertOk(shmkit(['attach-write', String(id), '--data', '\x07', '--offset', '4']));
    const lit = await screen(/^\* \x1b\[7mb = 7/m, true);
    assert.match(lit, /^ {2}a = 0/m, 'a is shown plainly');
    const plain = tmux('capture-pane', '-p').stdout;
    assert.equal(plain.match(/^[* ] b = /gm)?.length, 1, 'redrawn in place, not scrolled: one b line on the screen');
    // Without colour the gutter alone says what changed.
    tmux('kill-server');
    socket = join(dir, 'tmux-plain');
    assert.equal(tmux('new-session', '-d', '-x', '100', '-y', '30', `env NO_COLOR=1 '${process.execPath}' '${BIN}' watch ${id} --layout 'int a; int b;' --interval 50ms`).status, 0);
    await screen(/^ {2}b = 7$/m);
    assertOk(shmkit(['attach-write', String(id), '--data', '\x09', '--offset', '0']));
    const marked = await screen(/^\* a = 9$/m, true);
    assert.doesNotMatch(marked, /\x1b\[/, 'no escape sequence with NO_COLOR');
  } finally {
    tmux('kill-server');
    rmSync(dir, { recursive: true, force: true });
  }
});
