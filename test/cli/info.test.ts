// shmkit info against a C program that reads IPC_INFO and SHM_INFO itself: digit for digit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { SHMKIT_SH, canUnshareIpc, compileC, requires, run, shInOwnIpcNamespace, shmkit } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const program = `
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
int main(void) {
  struct shminfo l; struct shm_info u;
  if (shmctl(0, IPC_INFO, (struct shmid_ds *)&l) < 0) { perror("IPC_INFO"); return 1; }
  if (shmctl(0, SHM_INFO, (struct shmid_ds *)&u) < 0) { perror("SHM_INFO"); return 1; }
  printf("{\\"limits\\":{\\"shmmax\\":%lu,\\"shmmin\\":%lu,\\"shmmni\\":%lu,\\"shmseg\\":%lu,\\"shmall\\":%lu},", l.shmmax, l.shmmin, l.shmmni, l.shmseg, l.shmall);
  printf("\\"usage\\":{\\"usedIds\\":%d,\\"shmTot\\":%lu,\\"shmRss\\":%lu,\\"shmSwp\\":%lu,\\"swapAttempts\\":%lu,\\"swapSuccesses\\":%lu},", u.used_ids, u.shm_tot, u.shm_rss, u.shm_swp, u.swap_attempts, u.swap_successes);
  struct stat ns;
  if (stat("/proc/self/ns/ipc", &ns) < 0) { perror("/proc/self/ns/ipc"); return 1; }
  printf("\\"pageSize\\":%ld,", sysconf(_SC_PAGESIZE));
  printf("\\"ipcNamespace\\":{\\"inode\\":%lu,\\"initial\\":%s}}\\n", (unsigned long)ns.st_ino, ns.st_ino == 0xEFFFFFFFu ? "true" : "false");
  return 0;
}
`;

const compact = (s: string) => s.replace(/\s+/g, '');

for (const source of ['auto', 'proc', 'kernel']) test(`info --json --source ${source} equals, digit for digit, what C reads from IPC_INFO and SHM_INFO`, { skip: requires(['cc']) }, () => {
  const exe = compileC(program, 'shminfo');
  if (canUnshareIpc) {
    // Usage is the namespace's, and the other test files change it as they run: compare in a namespace of its own,
    // on segments made there, some resident.
    const bin = SHMKIT_SH;
    const r = shInOwnIpcNamespace(`set -e
      for size in 1 5000 3M; do id=$(${bin} create --private --size $size); ${bin} attach-write --id "$id" --fill 0x01; done
      ${bin} create --private --size 1G >/dev/null
      '${exe}'; echo '=== shmkit'; ${bin} info --json --source ${source}`);
    assertOk(r);
    const [c, ours] = r.stdout.split('=== shmkit\n');
    assert.equal(compact(ours ?? ''), compact(c ?? ''));
    assert.match(c ?? '', /"usedIds":4,"shmTot":262915,"shmRss":771,/, 'the namespace holds what the test made');
    assert.match(ours ?? '', /"shmmax": \d+/, 'an integer, not a string');
    return;
  }
  // Beside the other tests: limits always, usage once the C program before, ours and the C program after agree.
  for (let attempt = 0; attempt < 50; attempt++) {
    const c1 = spawnSync(exe, { encoding: 'utf8' }).stdout;
    const ours = shmkit(['info', '--json', '--source', source]);
    assertOk(ours);
    assert.equal(compact(ours.stdout).replace(/"usage".*$/, ''), compact(c1).replace(/"usage".*$/, ''), 'limits');
    if (compact(ours.stdout) === compact(c1) && c1 === spawnSync(exe, { encoding: 'utf8' }).stdout) {
      assert.match(ours.stdout, /"shmmax": \d+/, 'an integer, not a string');
      return;
    }
  }
  assert.fail('usage never held still across the C program, shmkit and the C program again, in 50 tries');
});

test('info --json: shmmax exactly as the kernel has it, above 2^53', () => {
  const r = shmkit(['info', '--json', '--limits']);
  assertOk(r);
  const shmmax = /"shmmax": (\d+)/.exec(r.stdout)?.[1];
  assert.equal(shmmax, run('cat', ['/proc/sys/kernel/shmmax']).stdout.trim());
  assert.doesNotMatch(r.stdout, /"usage"/);
});

test('info prints the limits readably', () => {
  const r = shmkit(['info']);
  assertOk(r);
  assert.match(r.stdout, /shmmax/);
  assert.match(r.stdout, /^ {2}page size +\d+ bytes$/m);
  const ns = statSync('/proc/self/ns/ipc').ino;
  assert.match(r.stdout, new RegExp(`^  IPC namespace +${ns} \\((the host's|not the host's: this namespace has segments and limits of its own)\\)$`, 'm'));
  assert.equal(r.stdout.includes("(the host's)"), ns === 0xefffffff);
});

test('info --format ipcs --limits is ipcs -m -l, byte for byte, in every unit', { skip: requires(['ipcs']) }, () => {
  assert.equal(shmkit(['info', '--format', 'ipcs', '--limits']).stdout, run('ipcs', ['-m', '-l']).stdout);
  assert.equal(shmkit(['info', '--format', 'ipcs', '--limits', '--bytes']).stdout, run('ipcs', ['-m', '-l', '-b']).stdout);
  assert.equal(shmkit(['info', '--format', 'ipcs', '--limits', '--human']).stdout, run('ipcs', ['-m', '-l', '--human']).stdout);
});

test('info: bad input', () => {
  assertFails(shmkit(['info', '--format', 'xml']), 2, 'info', /unknown format 'xml'/);
  assertFails(shmkit(['info', '--human']), 2, 'info', /--human goes with --format ipcs/);
});


test('/proc and the kernel calls agree, digit for digit, on segments of odd sizes, resident or not', { skip: requires(['unshare']) }, () => {
  // In an IPC namespace of its own, so that nothing else changes the usage between the two answers.
  const bin = SHMKIT_SH;
  const r = shInOwnIpcNamespace(`set -e
    for size in 1 4095 4097 1000000 3 10M; do id=$(${bin} create --private --size $size); done
    ${bin} attach-write --id "$id" --fill a
    for size in 5000 8192; do id=$(${bin} create --private --size $size); ${bin} attach-write --id "$id" --fill 0x01; done
    ${bin} info --json --source kernel
    echo ---
    ${bin} info --json --source proc`);
  assertOk(r);
  const [kernel, proc] = r.stdout.split('---\n');
  assert.equal(proc, kernel);
  assert.match(kernel ?? '', /"usedIds": 8,/);
  assert.match(kernel ?? '', /"shmRss": [1-9]/);
});
