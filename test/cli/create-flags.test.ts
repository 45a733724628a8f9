// create's shmget flags (issue 15): --fill only into a segment this call makes, --noreserve, and huge pages
// (--hugetlb, --hugepage-size) with vm.nr_hugepages raised for the test and put back after, and the errors when
// none are reserved or the caller may not use them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, SHMKIT_SH, Tracker, collect, compileC, hex, requires, shmkit, tempDir, uniqueKey, until } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

function made(argv: string[]): { id: number; filled: boolean; created: boolean } {
  const r = shmkit(['create', ...argv, '--json']);
  assertOk(r);
  const j = JSON.parse(r.stdout);
  t.shm(j.id, j.key || null);
  return j;
}

describe('create --fill', () => {
  test('fills a segment it makes, and says it left an existing one alone', () => {
    const key = uniqueKey();
    const a = made(['--key', hex(key), '--size', '16', '--fill', 'A']);
    assert.deepEqual([a.created, a.filled], [true, true]);
    assert.equal(shmkit(['read', String(a.id), '--format', 'raw']).stdout, 'A'.repeat(16));
    const r = shmkit(['create', '--key', hex(key), '--size', '16', '--fill', '0x42', '--json']);
    assertOk(r);
    assert.deepEqual([JSON.parse(r.stdout).created, JSON.parse(r.stdout).filled], [false, false]);
    assert.match(r.stderr, /^shmkit: create: key 0x[0-9a-f]{8} already had segment \d+ \(16 bytes, mode 0644\): opened it and left its contents as they are \(--exclusive fails instead\)\n$/);
    assert.equal(shmkit(['read', String(a.id), '--format', 'raw']).stdout, 'A'.repeat(16));
    const b = made(['--private', '--size', '4', '--fill', '0xff']);
    assert.match(shmkit(['read', String(b.id), '--format', 'hex']).stdout, /^00000000: ffff ffff /);
  });
  test('--noreserve makes a segment that works', () => {
    const s = made(['--private', '--size', '64K', '--noreserve']);
    assertOk(shmkit(['attach-write', String(s.id), '--data', 'no swap reserved']));
    assert.equal(shmkit(['read', String(s.id), '--length', '16']).stdout, 'no swap reserved\n');
  });
  test('bad input makes nothing', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--size', '4M', '--hugepage-size', '4M', '--hugetlb'], /unknown hugepage-size '4M'|4M/],
      [['--size', '4M', '--hugepage-size', '2M'], /--hugepage-size goes with --hugetlb/],
      [['--size', '16', '--fill', 'AB'], /--fill takes one single-byte character/],
    ];
    for (const [argv, re] of cases) assertFails(shmkit(['create', '--private', ...argv]), 2, 'create', re);
  });
});

/** A C program that keeps segment argv[1] attached read-only until killed: a process whose maps show the mapping. */
let holderExe: string | undefined;
async function whileHeld<T>(id: number, body: (pid: number) => T): Promise<T> {
  holderExe ??= compileC(`#include <stdio.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (shmat(atoi(argv[1]), NULL, SHM_RDONLY) == (void *)-1) { perror("shmat"); return 1; }
  printf("ready\\n"); fflush(stdout);
  pause();
  return 0;
}`, 'holder');
  const holder = collect(spawn(holderExe, [String(id)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    await until(() => holder.out().includes('ready'), 'the holder');
    return body(holder.child.pid!);
  } finally {
    holder.child.kill('SIGKILL');
    await holder.done;
  }
}

const pages = (args: string[]) => {
  const r = shmkit(args);
  assertOk(r);
  const j = JSON.parse(r.stdout);
  const one = Array.isArray(j) ? j[0] : j;
  return { hugePages: one.hugePages, pageSize: one.pageSize, lpid: one.lpid, atime: one.atime };
};

describe('which pages a segment is on (hugePages, pageSize)', { skip: requires(['cc']) }, () => {
  test('a normal segment: unknown until attached, then 4096-byte pages; --probe attaches to look', async () => {
    const s = made(['--private', '--size', '8K']);
    assert.deepEqual(pages(['stat', String(s.id), '--json']), { hugePages: null, pageSize: null, lpid: 0, atime: null });
    assert.match(shmkit(['stat', String(s.id)]).stdout, /^pages +unknown until attached \(--probe attaches to look\)$/m);
    await whileHeld(s.id, (pid) => {
      const held = pages(['stat', String(s.id), '--json']);
      assert.deepEqual([held.hugePages, held.pageSize, held.lpid], [false, 4096, pid]);
      const listed = JSON.parse(shmkit(['list', '--json']).stdout).find((x: { id: number }) => x.id === s.id);
      assert.deepEqual([listed.hugePages, listed.pageSize], [false, 4096]);
      assert.match(shmkit(['stat', String(s.id)]).stdout, /^pages +normal pages of 4 KiB$/m);
    });
    const probed = pages(['stat', String(s.id), '--probe', '--json']);
    assert.deepEqual([probed.hugePages, probed.pageSize], [false, 4096]);
    assert.notEqual(probed.atime, null, 'the record shown is the one after the probe\'s shmat');
    assertFails(shmkit(['stat', String(s.id), '--probe', '--format', 'ipcs']), 2, 'stat', /^shmkit: stat: --probe goes with a segment, in --format text or json$/);
  });
});

const NR = '/proc/sys/vm/nr_hugepages';
const meminfo = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'latin1'))?.[1]);

describe('huge pages', { skip: requires(['root']) }, () => {
  const saved = readFileSync(NR, 'latin1').trim();
  after(() => writeFileSync(NR, saved));
  test('with none free: the clear error, and nothing made', () => {
    writeFileSync(NR, '0');
    const r = shmkit(['create', '--private', '--size', '3M', '--hugetlb']);
    assertFails(r, 1, 'create', /^shmkit: create: not enough huge pages for 3145728 bytes: 2 of 2048 KiB needed, 0 free of 0 reserved: ENOMEM \(Cannot allocate memory\); reserve them first: sysctl vm\.nr_hugepages=2 /);
  });
  test('with 2 MiB pages reserved: made, filled, written, read, listed, told from a normal one and removed', { skip: requires(['cc']) }, async () => {
    writeFileSync(NR, '4');
    assert.equal(meminfo('HugePages_Total'), 4, 'the kernel reserved the 4 huge pages asked for');
    const s = made(['--private', '--size', '3M', '--hugetlb', '--hugepage-size', '2M', '--fill', 'Z']);
    assert.equal(meminfo('HugePages_Free'), 2, 'its 3 MiB took two 2 MiB huge pages');
    assertOk(shmkit(['attach-write', String(s.id), '--data', 'huge']));
    assert.equal(shmkit(['read', String(s.id), '--length', '6', '--format', 'raw']).stdout, 'hugeZZ');
    assert.match(shmkit(['list', '--no-color']).stdout, new RegExp(`^0x00000000 +${s.id} +root +rw-r--r-- +3145728 `, 'm'));
    // Nothing in /proc/sysvipc/shm or IPC_STAT tells it from a normal segment; an attached process's mapping does.
    assert.deepEqual(pages(['stat', String(s.id), '--json']).hugePages, null);
    await whileHeld(s.id, () => {
      assert.deepEqual(pages(['stat', String(s.id), '--json']).pageSize, 2 * 1024 * 1024);
      const listed = JSON.parse(shmkit(['list', '--json']).stdout).find((x: { id: number }) => x.id === s.id);
      assert.deepEqual([listed.hugePages, listed.pageSize], [true, 2097152]);
      assert.match(shmkit(['stat', String(s.id)]).stdout, /^pages +huge pages of 2 MiB \(SHM_HUGETLB\)$/m);
    });
    const probed = pages(['stat', String(s.id), '--probe', '--json']);
    assert.deepEqual([probed.hugePages, probed.pageSize], [true, 2097152]);
    // Bulk copies of a segment of whole huge pages: a MiB and more go through the segment's own file where root may
    // open it, and hugetlbfs has no write(2), splice or sendfile into it.
    // Under a key of its own: restore --force then writes over it (a dump of a private segment restores as a new one).
    const whole = made(['--key', hex(uniqueKey()), '--size', '2M', '--hugetlb']);
    const file = join(tempDir(), 'huge.bin');
    const bytes = Buffer.alloc(2 * 1024 * 1024, 'ab');
    writeFileSync(file, bytes);
    for (const how of [['--file', file], ['--stdin', '--stream'], ['--stdin']]) {
      assertOk(spawnSync('sh', ['-c', `${SHMKIT_SH} attach-write ${whole.id} ${how.join(' ')} < '${file}'`], { encoding: 'utf8' }));
      const back = spawnSync(process.execPath, [BIN, 'read', String(whole.id), '--format', 'raw'], { maxBuffer: 1 << 24 });
      assert.ok(back.stdout.equals(bytes), `${how.join(' ')}: the bytes back`);
    }
    const dump = join(tempDir(), 'huge.dump');
    const restored = spawnSync('sh', ['-c', `${SHMKIT_SH} dump ${whole.id} > '${dump}' && ${SHMKIT_SH} restore --force '${dump}'`], { encoding: 'utf8' });
    assertOk(restored);
    assert.equal(restored.stdout.trim(), String(whole.id), 'written over the same segment, no new one');
    assertOk(shmkit(['rm', String(whole.id)]));
    assertOk(shmkit(['rm', String(s.id)]));
    assert.equal(meminfo('HugePages_Free'), 4, 'removed, its pages are free again');
  });
  test('refused for a user outside vm.hugetlb_shm_group, with what to do', { skip: requires(['setpriv']) }, () => {
    writeFileSync(NR, '2');
    const r = spawnSync('setpriv', ['--reuid=4321', '--regid=4321', '--clear-groups', process.execPath, BIN, 'create', '--private', '--size', '2M', '--hugetlb'],
      { encoding: 'latin1', cwd: '/' });
    assertFails({ pid: r.pid, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, 1, 'create',
      /^shmkit: create: not permitted to use huge pages: EPERM \(Operation not permitted\); huge pages need CAP_IPC_LOCK \(root\), or membership of vm\.hugetlb_shm_group/);
  });
});
