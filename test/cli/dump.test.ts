// dump and restore (issue 17): round trips byte for byte at 1 byte, 1 MiB and 1 GiB; the refusals (a key that is
// taken, a size that differs); bad dump files (truncated, wrong magic, size mismatch, damaged bytes), each one line
// with nothing changed; a segment that changes while it is dumped says so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, SHMKIT_SH, Tracker, collect, compileC, hex, requires, shInOwnIpcNamespace, shmkit, tempDir, uniqueKey, until } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

/** The SHA-256 of a segment's bytes, read through shmkit read --format raw (streamed: 1 GiB never in one string). */
function digest(id: number): string {
  const r = spawnSync('sh', ['-c', `'${process.execPath}' '${BIN}' read ${id} --format raw | sha256sum`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(' ')[0] as string;
}

const stat = (id: number) => JSON.parse(shmkit(['stat', String(id), '--json']).stdout);

for (const [name, size] of [['1 byte', 1], ['1 MiB', 1 << 20], ['1 GiB', 1 << 30]] as const) {
  test(`dump and restore round trip, byte for byte: ${name}`, () => {
    const key = uniqueKey();
    const id = t.shm(Number(shmkit(['create', '--key', hex(key), '--size', String(size), '--mode', '640', '--fill', 'x']).stdout.trim()), key);
    // Bytes that differ from one place to the next: random ones at the start, the middle and the end.
    const dir = tempDir();
    for (const at of [0, Math.floor(size / 2), Math.max(0, size - 4096)]) {
      const bytes = createHash('sha512').update(`${name}${at}`).digest().subarray(0, Math.min(64, size - at));
      writeFileSync(join(dir, 'b'), bytes);
      assertOk(shmkit(['attach-write', String(id), '--file', join(dir, 'b'), '--offset', String(at)]));
    }
    const before = digest(id);
    const file = join(dir, 'seg.dump');
    assertOk(shmkit(['dump', String(id), '-o', file], { timeout: 120_000 }));
    const head = readFileSync(file).subarray(0, 400).toString('latin1').split('\n');
    assert.equal(head[0], 'SHMKIT-DUMP 1');
    assert.deepEqual((({ key: k, size: s, mode }) => ({ k, s, mode }))(JSON.parse(head[1] as string)), { k: key, s: String(size), mode: 0o640 });
    assertOk(shmkit(['rm', String(id)]));
    const r = shmkit(['restore', file, '--json'], { timeout: 120_000 });
    assertOk(r);
    const made = JSON.parse(r.stdout);
    t.shm(made.id, key);
    assert.deepEqual([made.key, made.size, made.created, made.changed], [key, size, true, false]);
    const s = stat(made.id);
    assert.deepEqual([s.key, s.size, s.mode], [key, size, 0o640], 'the same key, size and mode');
    assert.equal(digest(made.id), before, 'the same bytes');
  });
}

test('restore refuses a taken key without --force, and a size that differs with it; --force writes over one of the same size', () => {
  const key = uniqueKey();
  const dir = tempDir();
  const id = t.shm(Number(shmkit(['create', '--key', hex(key), '--size', '100', '--fill', 'a']).stdout.trim()), key);
  assertOk(shmkit(['dump', String(id), '-o', join(dir, 'a.dump')]));
  assertOk(shmkit(['attach-write', String(id), '--fill', 'b']));
  assertFails(shmkit(['restore', join(dir, 'a.dump')]), 1, 'restore',
    new RegExp(`^shmkit: restore: key ${hex(key)} has segment ${id} already; restore it under another key \\(--key KEY or --private\\), or write over it with --force \\(only one of the same size\\)$`));
  assert.equal(shmkit(['read', String(id), '--length', '3']).stdout, 'bbb\n', 'left as it was');
  const r = shmkit(['restore', join(dir, 'a.dump'), '--force']);
  assertOk(r);
  assert.equal(r.stdout, `${id}\n`);
  assert.equal(r.stderr, `shmkit: restore: wrote over segment ${id} (key ${hex(key)})\n`);
  assert.equal(shmkit(['read', String(id), '--length', '3']).stdout, 'aaa\n', 'the dump\'s bytes again');
  // Another size under the key: refused, even with --force.
  assertOk(shmkit(['rm', String(id)]));
  const other = t.shm(Number(shmkit(['create', '--key', hex(key), '--size', '200', '--fill', 'c']).stdout.trim()), key);
  assertFails(shmkit(['restore', join(dir, 'a.dump'), '--force']), 1, 'restore', new RegExp(`segment ${other} under key ${hex(key)} is 200 bytes, the dump 100: only one of the same size is written over`));
  assert.equal(shmkit(['read', String(other), '--length', '3']).stdout, 'ccc\n');
});

test('bad dump files: truncated, wrong magic, another size, damaged bytes: one line, exit 2, nothing made or changed', { skip: requires(['root', 'unshare']) }, () => {
  const dir = tempDir();
  const good = join(dir, 'good.dump');
  const made = shInOwnIpcNamespace(`id=$(${SHMKIT_SH} create --size 5000 --private --fill q) && ${SHMKIT_SH} dump $id > "${good}"`);
  assert.equal(made.status, 0, made.stderr);
  const bytes = readFileSync(good);
  const nl = bytes.indexOf(0x0a, 14);
  const variants: Array<[string, Buffer, RegExp]> = [
    ['truncated', bytes.subarray(0, nl + 1000), /it ends after 999 of its 5000 bytes/],
    ['no trailer', bytes.subarray(0, nl + 1 + 5000), /it ends before its trailer/],
    ['wrong magic', Buffer.concat([Buffer.from('XHMKIT'), bytes.subarray(6)]), /it does not begin with "SHMKIT-DUMP 1"/],
    ['a header of another size', Buffer.from(bytes.toString('latin1').replace('"size":"5000"', '"size":"4999"'), 'latin1'), /more bytes than its header's 4999, or no trailer/],
    ['damaged bytes', Buffer.from(bytes.toString('latin1').replace('qqqq', 'qqqr'), 'latin1'), /its bytes do not match their SHA-256 digest/],
    ['more after the trailer', Buffer.concat([bytes, Buffer.from('x')]), /there is more after its trailer/],
    ['empty', Buffer.alloc(0), /it does not begin with "SHMKIT-DUMP 1"/],
  ];
  for (const [what, content, re] of variants) {
    const file = join(dir, 'bad.dump');
    writeFileSync(file, content);
    const r = shInOwnIpcNamespace(`${SHMKIT_SH} restore "${file}"; echo "exit $?"; ipcs -m | grep -c '^0x' || true`);
    assert.match(r.stderr, new RegExp(`^shmkit: restore: not a dump of this format, or a damaged one: ${re.source}; nothing was changed\\n$`), what);
    assert.equal(r.stdout, 'exit 2\n0\n', `${what}: exit 2, and no segment left in the namespace`);
  }
  assertFails(shmkit(['restore', join(dir, 'nonexistent')]), 2, 'restore', /cannot read .*nonexistent: ENOENT \(No such file or directory\)$/);
  // And the good one goes in, from stdin.
  const r = shInOwnIpcNamespace(`${SHMKIT_SH} restore - < "${good}" > /dev/null && ${SHMKIT_SH} read --id 0 --length 4`);
  assert.equal(r.stdout, 'qqqq\n', r.stderr);
});

test('a segment that changes while it is dumped: dump says so, and so does its trailer', { skip: requires(['cc']) }, async () => {
  const id = t.shm(Number(shmkit(['create', '--private', '--size', '64M']).stdout.trim()));
  const exe = compileC(`#include <stdlib.h>
#include <stdio.h>
#include <sys/shm.h>
int main(int argc, char **argv) {
  volatile unsigned char *p = shmat(atoi(argv[1]), NULL, 0);
  if (p == (void *)-1) return 1;
  printf("ready\\n"); fflush(stdout);
  for (;;) for (long i = 0; i < 64L << 20; i += 4096) p[i]++;
}`, 'scribbler');
  const w = collect(spawn(exe, [String(id)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    await until(() => w.out().includes('ready'), 'the scribbler');
    const file = join(tempDir(), 'moving.dump');
    const r = shmkit(['dump', String(id), '-o', file], { timeout: 60_000 });
    assertOk(r);
    assert.equal(r.stderr, 'shmkit: dump: the segment changed while it was read: the bytes may be of no single moment (the trailer says so)\n');
    assert.match(readFileSync(file).subarray(-200).toString('latin1'), /\nSHMKIT-END \{"bytes":"67108864","sha256":"[0-9a-f]{64}","changed":true\}\n$/);
  } finally {
    w.child.kill('SIGKILL');
    await w.done;
  }
});

test('a signal stops a restore that waits on a pipe within a second, and leaves no segment', { skip: requires(['root', 'unshare']) }, () => {
  const dir = tempDir();
  const file = join(dir, 'two.dump');
  assert.equal(shInOwnIpcNamespace(`id=$(${SHMKIT_SH} create --size 2M --private --fill w) && ${SHMKIT_SH} dump $id > "${file}"`).status, 0);
  // Half the dump, then a pipe that stays open with nothing more in it: restore waits, and SIGTERM must end that.
  const r = shInOwnIpcNamespace(`
mkfifo "${dir}/fifo"
(head -c 1000000 "${file}"; sleep 30) > "${dir}/fifo" 2> /dev/null & feeder=$!
${SHMKIT_SH} restore - < "${dir}/fifo" > /dev/null 2> "${dir}/err" & p=$!
sleep 1; start=$(date +%s%N); kill -TERM $p
while kill -0 $p 2>/dev/null; do sleep 0.02; done; end=$(date +%s%N)
echo "ms $(( (end - start) / 1000000 ))"; ipcs -m | grep -c '^0x' || true; kill $feeder`);
  const ms = Number(/^ms (\d+)$/m.exec(r.stdout)?.[1]);
  assert.ok(ms < 1000, `stopped ${ms} ms after SIGTERM\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /^0$/m, 'the half-made segment is removed');
  assert.equal(readFileSync(join(dir, 'err'), 'utf8'), 'shmkit: restore: interrupted by SIGTERM\n');
});
