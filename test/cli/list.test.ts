// list at scale, the attached processes, and orphans with real processes and real dead creators.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { BIN, SHMKIT_SH, requires, holdInOwnIpcNamespace, shInOwnIpcNamespace, holdSegments, ROOT, shmkit, Tracker } from '../helpers/index.js';
import { assertFails, assertOk } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

test('list --json agrees with /proc/sysvipc/shm with 2000 segments present', () => {
  const ids: number[] = [];
  try {
    for (let i = 0; i < 2000; i++) ids.push(t.shm(sys.shmget(0, BigInt(1 + i * 7), 0o600 | 0o1000)));
    const r = shmkit(['list', '--json']);
    assertOk(r);
    const list = new Map((JSON.parse(r.stdout) as Array<Record<string, unknown>>).map((s) => [s.id as number, s]));
    const proc = new Map(readFileSync('/proc/sysvipc/shm', 'latin1').split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)).map((f) => [Number(f[1]), f]));
    const iso = (s: string) => (s === '0' ? null : new Date(Number(s) * 1000).toISOString().replace('.000Z', 'Z'));
    ids.forEach((id, i) => {
      const j = list.get(id);
      const f = proc.get(id);
      assert.ok(j && f, `segment ${id}`);
      const perms = parseInt(f[2]!, 8);
      assert.deepEqual(
        [j.key, j.id, j.mode, j.dest, j.locked, String(j.size), j.cpid, j.lpid, j.nattch, j.uid, j.gid, j.cuid, j.cgid, j.atime, j.dtime, j.ctime, String(j.rss), String(j.swap)],
        [Number(f[0]) >>> 0, id, perms & 0o777, (perms & 0o1000) !== 0, (perms & 0o2000) !== 0, f[3], Number(f[4]), Number(f[5]), Number(f[6]),
          Number(f[7]), Number(f[8]), Number(f[9]), Number(f[10]), iso(f[11]!), iso(f[12]!), iso(f[13]!), f[14], f[15]],
        `segment ${id}`,
      );
      assert.equal(j.size, 1 + i * 7);
    });
  } finally {
    for (const id of ids) sys.shmRmid(id);
  }
});

test('stat names the processes attached, found through /proc/PID/maps', async () => {
  const id = t.shm(sys.shmget(0, 4096, 0o600 | 0o1000));
  const one = await holdSegments([id]);
  const two = await holdSegments([id, id]);
  try {
    const j = JSON.parse(shmkit(['stat', '--id', String(id), '--json']).stdout);
    assert.equal(j.nattch, 3);
    const byPid = new Map(j.attached.map((p: { pid: number; attachments: number; command: string }) => [p.pid, p]));
    assert.deepEqual(byPid.get(one.pid), { pid: one.pid, command: 'node', attachments: 1 });
    assert.deepEqual(byPid.get(two.pid), { pid: two.pid, command: 'node', attachments: 2 });
    const text = shmkit(['stat', '--id', String(id)]).stdout;
    assert.match(text, new RegExp(`pid ${two.pid} node \\(2 times\\)`));
    // After IPC_RMID the key is 0 and the mapping shows /SYSV00000000: still found by its shmid.
    sys.shmRmid(id);
    const k = JSON.parse(shmkit(['stat', '--id', String(id), '--json']).stdout);
    assert.equal(k.dest, true);
    assert.equal(k.attached.length, 2);
    const listed = (JSON.parse(shmkit(['list', '--json']).stdout) as Array<{ id: number; attached: unknown[] }>).find((s) => s.id === id);
    assert.equal(listed?.attached.length, 2);
  } finally {
    await one.stop();
    await two.stop();
  }
});


test('--older-than spares orphans touched lately, in list and in rm', { skip: requires(['unshare'], "so that rm --orphans touches only this test's segments") }, () => {
  // A segment made by shmkit create is an orphan as soon as create exits: the case --older-than is for.
  const bin = SHMKIT_SH;
  const r = shInOwnIpcNamespace(`set -e
    id=$(${bin} create --private --size 100)
    echo "all: $(${bin} list --orphans --json | grep -c '"id"')"
    echo "hour: $(${bin} list --orphans --older-than 1h --json)"
    ${bin} rm --orphans --older-than 1h --verbose
    echo "left: $(ipcs -m | grep -c '^0x')"
    sleep 2
    ${bin} rm --orphans --older-than 1s --verbose 2>&1
    echo "left: $(ipcs -m | grep -c '^0x' || true)"`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^all: 1\nhour: \[\]\nleft: 1\nshmkit: rm: removing segment \d+ .*\nleft: 0\n$/);
});

test('orphans: list --orphans, rm --orphans [--dry-run] and rm --all [--yes], with real dead creators', { skip: requires(['unshare'], "so that removing everything touches only this test's segments") }, () => {
  const r = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'test', 'fixtures', 'orphans.mjs')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  const { neverAttached, usedThenLeft, creatorAlive, attached, lastUserAlive } = o.made;
  assert.deepEqual(o.listOrphans.sort(), [neverAttached, usedThenLeft].sort());
  assert.deepEqual(o.attachedStat, [{ pid: o.holderPid, command: 'node', attachments: 1 }]);
  assert.equal(o.dryRun.status, 0);
  assert.equal(o.dryRun.stdout.trim().split('\n').length, 2);
  assert.match(o.dryRun.stdout, new RegExp(`^would remove segment ${neverAttached} \\(key 0x[0-9a-f]{8}, 10 bytes, owner root\\)$`, 'm'));
  assert.equal(o.afterDryRun.length, 5, 'the dry run removed nothing');
  assert.equal(o.rm.status, 0, o.rm.stderr);
  assert.match(o.rm.stderr, new RegExp(`removing segment ${usedThenLeft}`));
  assert.deepEqual(o.afterRm.sort(), [creatorAlive, attached, lastUserAlive].sort());
  assert.equal(o.allWithoutYes.status, 2);
  assert.match(o.allWithoutYes.stderr, /^shmkit: rm: --all would remove 3 segments \(ids: .*\); add --yes to remove them\n$/);
  assert.equal(o.allWithoutYes.left.length, 3);
  assert.equal(o.allWithYes.status, 0, o.allWithYes.stderr);
  assert.deepEqual(o.afterAll, [{ id: attached, dest: true, nattch: 1 }], 'the attached one stays until its last detach');
  assert.deepEqual(o.atEnd, []);
});

test('a pid of 0 is a process of another PID namespace, never a dead one: its segment is no orphan', { skip: requires(['unshare'], 'a PID namespace of its own beside an IPC namespace of its own') }, () => {
  // A live process makes a segment and keeps it without attaching it; rm --orphans then runs in a PID namespace of
  // its own (a sidecar, docker --ipc=container:, unshare --pid) that shares the IPC namespace: there the creator's
  // pid reads 0, not visible. Removing the segment would take it from a process that is alive.
  const bin = SHMKIT_SH;
  const lib = JSON.stringify(join(ROOT, 'dist', 'index.js'));
  const r = shInOwnIpcNamespace(`set -e
    dir=$(mktemp -d)
    '${process.execPath}' --input-type=module -e 'const l = await import(${lib}); console.log(l.createSegment({ key: "private", size: 4096n }).id); setInterval(() => {}, 1e6);' > "$dir/id" &
    holder=$!
    while [ ! -s "$dir/id" ]; do sleep 0.05; done
    id=$(cat "$dir/id")
    inside() { unshare --pid --fork --mount-proc "$@"; }
    echo "cpid inside: $(inside ${bin} stat --id "$id" --json | grep '"cpid"')"
    echo "orphans inside: $(inside ${bin} list --orphans --json)"
    inside ${bin} rm --orphans --verbose
    echo "left: $(${bin} list --json | grep -c '"id"')"
    kill $holder; wait $holder || true
    echo "inside, creator dead: $(inside ${bin} list --orphans --json)"
    ${bin} rm --orphans --verbose 2>&1 | sed 's/[0-9][0-9]*/N/g'
    echo "left: $(${bin} list --json | grep -c '"id"' || true)"
    rm -r "$dir"`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    'cpid inside:   "cpid": 0,', 'orphans inside: []', 'left: 1',
    // Seen from inside, the creator stays unknown after it died too: only where its pid can be seen is it dead.
    'inside, creator dead: []', 'shmkit: rm: removing segment N (key NxN, N bytes, owner root)', 'left: 0', '',
  ].join('\n'));
});

test('rm --orphans looks again at each segment right before it removes it: one attached since the listing stays', { skip: requires(['unshare'], "so that rm --orphans touches only this test's segments") }, () => {
  const r = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'test', 'fixtures', 'orphan-race.mjs')], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.ok(o.removedBeforeAttach > 0 && o.removedBeforeAttach < o.made, `rm was stopped part way: ${r.stdout}`);
  assert.equal(o.attached, 200);
  assert.equal(o.status, 0);
  assert.equal(o.removedWhileAttached, 0, `segments removed while attached: ${r.stdout}`);
  assert.equal(o.leftUnattached, 0, 'every other orphan went');
});

test('rm: --dry-run and --yes need their partners', () => {
  assertFails(shmkit(['rm', '--id', '1', '--dry-run']), 2, 'rm', /--dry-run goes with --all or --orphans/);
  assertFails(shmkit(['rm', '--orphans', '--yes']), 2, 'rm', /--yes goes with --all/);
  assertFails(shmkit(['rm', '--all', '--orphans']), 2, 'rm', /cannot be used together/);
});

test('list: bad input', () => {
  assertFails(shmkit(['list', '--time', '--pid']), 2, 'list', /--time and --pid cannot be used together/);
  assertFails(shmkit(['list', '--format', 'csv']), 2, 'list', /unknown format 'csv'/);
  assertFails(shmkit(['list', '--json', '--human']), 2, 'list', /--json has every field/);
});

test('list prints a table, coloured only when asked', () => {
  const id = t.shm(sys.shmget(0, 4096, 0o600 | 0o1000));
  const plain = shmkit(['list']);
  assertOk(plain);
  assert.match(plain.stdout, /^KEY +ID +OWNER +PERMS +SIZE +NATTCH +STATUS +CPID +LPID +CHANGED$/m);
  assert.match(plain.stdout, new RegExp(`^0x00000000 +${id} +root +rw------- +4096 +0 `, 'm'));
  assert.doesNotMatch(plain.stdout, /\x1b\[/, 'no escape codes in a pipe');
  assert.match(shmkit(['list'], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
  assert.doesNotMatch(shmkit(['list'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, /\x1b\[/, 'NO_COLOR wins');
  assert.doesNotMatch(shmkit(['list', '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
  assert.doesNotMatch(shmkit(['--no-color', 'list'], { env: { FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
});

test('stat and list name only the processes of their own IPC namespace, though ids repeat across namespaces', { skip: requires(['unshare']) }, async () => {
  // Two namespaces, each with a segment of id 0 attached by its own process; /proc shows both processes' maps.
  const a = await holdInOwnIpcNamespace();
  const b = await holdInOwnIpcNamespace();
  try {
    assert.equal(a.id, b.id, 'the same id in both namespaces');
    const inB = (args: string[]) => spawnSync('nsenter', [`--ipc=/proc/${b.pid}/ns/ipc`, process.execPath, BIN, ...args], { encoding: 'utf8' });
    const st = inB(['stat', '--id', String(b.id), '--json']);
    assertOk(st);
    assert.deepEqual(JSON.parse(st.stdout).attached, [{ pid: b.pid, command: 'node', attachments: 1 }]);
    const list = inB(['list', '--json']);
    assertOk(list);
    assert.deepEqual((JSON.parse(list.stdout) as Array<{ attached: unknown[] }>).map((s) => s.attached), [[{ pid: b.pid, command: 'node', attachments: 1 }]]);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('list with no segments prints the header alone', { skip: requires(['unshare'], 'for a system with no segments') }, () => {
  const r = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'bin', 'shmkit.js'), 'list'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'KEY  ID  OWNER  PERMS  SIZE  NATTCH  STATUS  CPID  LPID  CHANGED\n');
  const j = spawnSync('unshare', ['--ipc', process.execPath, join(ROOT, 'bin', 'shmkit.js'), 'list', '--json'], { encoding: 'utf8' });
  assert.equal(j.stdout, '[]\n');
});
