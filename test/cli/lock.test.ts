// shmkit lock and unlock: SHM_LOCK and SHM_UNLOCK against the real kernel (issue 15). Root locks any segment;
// the owner within its locked-memory limit; past the limit ENOMEM and another user EPERM are explained with the
// numbers; list and stat show the lock.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, Tracker, requires, shmkit } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

function segment(size: string): string {
  const r = shmkit(['create', '--private', '--size', size]);
  assertOk(r);
  return String(t.shm(Number(r.stdout.trim()), null));
}
const locked = (id: string) => JSON.parse(shmkit(['stat', id, '--json']).stdout).locked as boolean;
/** shmkit as uid, with its locked-memory limit set to kib KiB first. */
const as = (uid: number, kib: number, argv: string[]) => {
  // The limit is set by root before the drop: a process may not raise its own past the hard limit it has.
  const r = spawnSync('sh', ['-c', `ulimit -l ${kib} && exec setpriv --reuid=${uid} --regid=${uid} --clear-groups "$@"`, 'sh', process.execPath, BIN, ...argv],
    { encoding: 'latin1', cwd: '/' });
  return { pid: r.pid, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
};

describe('lock and unlock as root', { skip: requires(['root']) }, () => {
  test('lock ID ID, then list, stat and unlock', () => {
    const a = segment('1M');
    const b = segment('64K');
    const r = shmkit(['lock', a, b]);
    assertOk(r);
    assert.equal(r.stdout + r.stderr, '');
    assert.equal(locked(a) && locked(b), true);
    assert.match(shmkit(['list', '--no-color']).stdout, new RegExp(`^0x00000000 +${a} .* locked `, 'm'));
    assertOk(shmkit(['unlock', '--id', a]));
    assert.deepEqual([locked(a), locked(b)], [false, true]);
    assertOk(shmkit(['unlock', b]));
    assert.equal(locked(b), false);
  });
  test('goes on past a missing id: one line for it, the rest locked, exit 1', () => {
    const a = segment('64K');
    const gone = segment('64K');
    assertOk(shmkit(['rm', gone]));
    const r = shmkit(['lock', gone, a]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `shmkit: lock: no segment has id ${gone}: EINVAL (Invalid argument); it may have been removed; shmkit list shows the segments there are\n`);
    assert.equal(locked(a), true);
    assertOk(shmkit(['unlock', a]));
  });
});

describe('lock as another user', { skip: requires(['setpriv']) }, () => {
  test('the owner within its limit may; past it ENOMEM with the numbers; anyone else EPERM; nothing changes', () => {
    const id = segment('1M');
    assertOk(shmkit(['chown', '4321', id]));
    assertFails(as(4321, 512, ['lock', id]), 1, 'lock',
      /^shmkit: lock: cannot lock segment \d+: ENOMEM \(Cannot allocate memory\); its 1048576 bytes are more than your locked-memory limit allows \(ulimit -l: 512 KiB\); raise it, or lock as root \(CAP_IPC_LOCK\)$/);
    assert.equal(locked(id), false);
    assertFails(as(4322, 4096, ['lock', id]), 1, 'lock',
      /EPERM \(Operation not permitted\); it needs CAP_IPC_LOCK \(root\), or being its owner, uid 4321, or creator, root \(uid 0\), with a locked-memory limit above 0 \(ulimit -l: 4096 KiB\)$/);
    assert.equal(locked(id), false);
    assertOk(as(4321, 4096, ['lock', id]));
    assert.equal(locked(id), true);
    assertOk(as(4321, 4096, ['unlock', id]));
    assert.equal(locked(id), false);
  });
});

test('lock: bad input changes nothing', () => {
  const id = segment('64K');
  const cases: Array<[string[], string, RegExp]> = [
    [['lock'], 'lock', /name the segment/],
    [['lock', '0x1234'], 'lock', /looks like a key, not an id/],
    [['lock', id, 'abc'], 'lock', /invalid id 'abc'/],
    [['unlock', id, '--id', id], 'unlock', /give the segment once/],
  ];
  for (const [argv, command, re] of cases) assertFails(shmkit(argv), 2, command, re);
  assert.equal(locked(id), false);
});
