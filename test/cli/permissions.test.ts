// As an unprivileged user: another user's 0600 segment is refused (EACCES or EPERM) and unchanged; a 0644 one can be
// read, read-only, and not written. Needs root, to make the segments and to drop to uid 4321 with setpriv.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as sys from '../../src/sys/libc.js';
import { BIN, Tracker, canDrop, hex, requires, uniqueKey } from '../helpers/index.js';

const t = new Tracker();
let secret = -1;
let shared = -1;
let secretKey = 0;

function as4321(args: string[]) {
  const r = spawnSync('setpriv', ['--reuid=4321', '--regid=4321', '--clear-groups', process.execPath, BIN, ...args], { encoding: 'latin1' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function contents(id: number): string {
  const a = sys.shmat(id, 0o10000);
  try {
    return Buffer.from(new Uint8Array(sys.view(a, 32))).toString('latin1');
  } finally {
    sys.shmdt(a);
  }
}

function state(id: number): string {
  const ds = sys.shmStat(id);
  return JSON.stringify({ mode: ds.mode, uid: ds.uid, size: String(ds.segsz), ctime: String(ds.ctime), data: contents(id) });
}

before(() => {
  if (!canDrop) return;
  secretKey = uniqueKey();
  secret = t.shm(sys.shmget(secretKey, 32, 0o600 | 0o1000 | 0o2000), secretKey);
  shared = t.shm(sys.shmget(0, 32, 0o644 | 0o1000));
  for (const [id, text] of [[secret, 'top secret'], [shared, 'for everyone']] as const) {
    const a = sys.shmat(id, 0);
    new Uint8Array(sys.view(a, 32)).set(Buffer.from(text));
    sys.shmdt(a);
  }
});
after(() => t.cleanup());

test("another user's 0600 segment: stat shows what /proc shows to anyone, as ipcs -i does", { skip: requires(['setpriv']) }, () => {
  const before = state(secret);
  const text = as4321(['stat', '--id', String(secret)]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^id +${secret}\\n`));
  assert.match(text.stdout, /\nperms +0600 \(rw-------\)\n/);
  const json = as4321(['stat', '--key', hex(secretKey), '--json']);
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).id, secret);
  const ipcs = as4321(['stat', String(secret), '--format', 'ipcs']);
  assert.equal(ipcs.status, 0, ipcs.stderr);
  assert.match(ipcs.stdout, /perms=0600/);
  assert.equal(state(secret), before);
});

test("another user's 0600 segment: every other command is refused with EACCES or EPERM, and nothing changes", { skip: requires(['setpriv']) }, () => {
  const before = state(secret);
  const cases: Array<[string[], RegExp]> = [
    [['read', '--id', String(secret)], /^shmkit: read: attach: permission denied for segment \d+: EACCES/],
    [['read', '--id', String(secret), '--format', 'raw'], /EACCES/],
    [['attach-write', '--id', String(secret), '--data', 'pwned'], /^shmkit: attach-write: attach: permission denied for segment \d+: EACCES/],
    [['attach-write', '--key', hex(secretKey), '--fill', 'x'], /EACCES/],
    [['rm', '--id', String(secret)], /^shmkit: rm: not permitted on segment \d+: EPERM \(Operation not permitted\); only its owner, its creator or root may do that\n$/],
    [['rm', '--key', hex(secretKey)], /^shmkit: rm: not permitted on segment \d+: EPERM \(Operation not permitted\); /],
    [['create', '--key', hex(secretKey), '--size', '32'], /EACCES/],
  ];
  for (const [args, re] of cases) {
    const r = as4321(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(state(secret), before, `${args.join(' ')} changed the segment`);
  }
});

test('a 0644 segment: read works for others (read-only attach), writing and removing do not', { skip: requires(['setpriv']) }, () => {
  const before = state(shared);
  const r = as4321(['read', '--id', String(shared)]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'for everyone\n');
  const s = as4321(['stat', '--id', String(shared), '--json']);
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).mode, 0o644);
  const w = as4321(['attach-write', '--id', String(shared), '--data', 'x']);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /EACCES.*writing needs read and write permission/);
  const d = as4321(['rm', '--id', String(shared)]);
  assert.equal(d.status, 1);
  assert.match(d.stderr, /EPERM/);
  assert.equal(state(shared), before);
  // The listing shows every segment whatever its permissions (from /proc/sysvipc/shm).
  const l = as4321(['list', '--json']);
  assert.equal(l.status, 0, l.stderr);
  const ids = (JSON.parse(l.stdout) as Array<{ id: number }>).map((x) => x.id);
  assert.ok(ids.includes(secret) && ids.includes(shared));
});
