// shmkit set (and chmod, chown): IPC_SET against the real kernel (issue 15). Root and the owner may change a
// segment, another user is refused with EPERM and nothing changes; what is not named stays; ctime moves; ipcs -m -i
// shows the change. Table-driven bad input.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, Tracker, requires, run, shmkit } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

function segment(mode = '644'): string {
  const r = shmkit(['create', '--private', '--size', '64', '--mode', mode]);
  assertOk(r);
  return String(t.shm(Number(r.stdout.trim()), null));
}
const stat = (id: string) => JSON.parse(shmkit(['stat', id, '--json']).stdout) as { mode: number; uid: number; gid: number; cuid: number; ctime: string };
const as = (uid: number, argv: string[]) => {
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, BIN, ...argv], { encoding: 'latin1', cwd: '/' });
  return { pid: r.pid, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
};

describe('set as root', { skip: requires(['root']) }, () => {
  test('--mode, --owner USER:GROUP and --group change only what they name; prints nothing; --json the record', () => {
    const id = segment();
    const r = shmkit(['set', id, '--mode', '600']);
    assertOk(r);
    assert.equal(r.stdout + r.stderr, '');
    assert.deepEqual([stat(id).mode, stat(id).uid, stat(id).gid], [0o600, 0, 0]);
    assertOk(shmkit(['set', '--id', id, '--owner', '4321:5678']));
    assert.deepEqual([stat(id).mode, stat(id).uid, stat(id).gid], [0o600, 4321, 5678]);
    assertOk(shmkit(['set', id, '--group', '0']));
    assert.deepEqual([stat(id).mode, stat(id).uid, stat(id).gid], [0o600, 4321, 0]);
    const j = shmkit(['set', id, '--owner', 'nobody', '--json']);
    assertOk(j);
    const after = JSON.parse(j.stdout);
    assert.deepEqual([after.id, after.uid, after.gid, after.owner, after.cuid], [Number(id), 65534, 0, 'nobody', 0]);
  });
  test('chmod MODE ID and chown USER[:GROUP] ID, as those commands take them; USER: is the user\'s own group', () => {
    const id = segment();
    assertOk(shmkit(['chmod', '640', id]));
    assert.equal(stat(id).mode, 0o640);
    assertOk(shmkit(['chown', 'nobody:', id]));
    const nobodyGid = Number(run('id', ['-g', 'nobody']).stdout.trim());
    assert.deepEqual([stat(id).uid, stat(id).gid], [65534, nobodyGid]);
    assertOk(shmkit(['chown', ':0', id]));
    assert.deepEqual([stat(id).uid, stat(id).gid], [65534, 0]);
  });
  test('the kernel sets ctime', async () => {
    const id = segment();
    const before = stat(id).ctime;
    await new Promise((r) => setTimeout(r, 1100));
    assertOk(shmkit(['chmod', '600', id]));
    assert.ok(stat(id).ctime > before, `${stat(id).ctime} after ${before}`);
  });
  test('ipcs -m -i shows the new owner and perms, byte for byte as stat --format ipcs', { skip: requires(['ipcs']) }, () => {
    const id = segment();
    assertOk(shmkit(['set', id, '--mode', '604', '--owner', '4321:5678']));
    const ours = shmkit(['stat', id, '--format', 'ipcs']);
    const theirs = run('ipcs', ['-m', '-i', id], { env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(ours.stdout, theirs.stdout);
    assert.match(theirs.stdout, /^uid=4321\tgid=5678\tcuid=0\tcgid=0$/m);
    assert.match(theirs.stdout, /^mode=0604\taccess_perms=0604$/m);
  });
});

describe('set by another user', { skip: requires(['setpriv']) }, () => {
  test('the owner may change its own segment; give it away, and it may no longer', () => {
    const id = segment('600');
    assertOk(shmkit(['set', id, '--owner', '4321:4321']));
    assertOk(as(4321, ['chmod', '640', id]));
    assert.equal(stat(id).mode, 0o640);
    assertOk(as(4321, ['chown', '4322', id]));
    assertFails(as(4321, ['chmod', '666', id]), 1, 'set', /^shmkit: set: not permitted to change segment \d+: EPERM \(Operation not permitted\); only its owner, uid 4322, its creator, root \(uid 0\), or a process with CAP_SYS_ADMIN may change it$/);
    assert.deepEqual([stat(id).mode, stat(id).uid], [0o640, 4322]);
  });
  test('anyone else is refused with EPERM, and nothing changes', () => {
    const id = segment('666');
    const before = stat(id);
    for (const argv of [['set', id, '--mode', '600'], ['chown', '4321', id], ['set', id, '--group', '4321']]) {
      assertFails(as(4321, argv), 1, 'set', /EPERM \(Operation not permitted\); only its owner, root \(uid 0\), its creator, root \(uid 0\)/);
    }
    assert.deepEqual(stat(id), before);
  });
});

describe('set: bad input changes nothing', () => {
  test('each refused with exit 2 and one line', () => {
    const id = segment();
    const before = stat(id);
    const cases: Array<[string[], RegExp]> = [
      [['set', id], /say what to change: --mode OCTAL, --owner USER\[:GROUP\] or --group GROUP$/],
      [['set', id, '--mode', '1777'], /mode '1777' has bits beyond 0777/],
      [['set', id, '--mode', '8'], /invalid mode '8'/],
      [['set', id, '--mode', 'rw-r--r--'], /invalid mode/],
      [['set', id, '--owner', 'no-such-user-here'], /no user is named 'no-such-user-here'; give a user name or a uid$/],
      [['set', id, '--group', 'no-such-group-here'], /no group is named 'no-such-group-here'/],
      [['set', id, '--owner', ':'], /invalid owner ':'/],
      [['set', id, '--owner', '0:0', '--group', '0'], /give the group once/],
      [['set', id, '--mode', '600', '--mode', '644'], /once/],
      [['chmod'], /say what to set: shmkit chmod MODE ID$/],
      [['chmod', '600'], /name the segment/],
      [['set', id, id, '--mode', '600'], /too many arguments/],
      [['set', '0x1234', '--mode', '600'], /looks like a key, not an id/],
    ];
    for (const [argv, re] of cases) assertFails(shmkit(argv), 2, 'set', re);
    assert.deepEqual(stat(id), before);
  });
  test('a segment that is not there: the same words as every command', () => {
    assertFails(shmkit(['set', '--key', '0x7ffffff1', '--mode', '600']), 1, 'set', /^shmkit: set: no segment has key 0x7ffffff1: ENOENT \(No such file or directory\); shmkit list shows the segments there are$/);
  });
});
