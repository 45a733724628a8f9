// create reports what it made, or leaves nothing: a result it cannot print, and a mode that hides the segment from
// its own creator, must not leave a segment behind that nobody knows of.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as sys from '../../src/sys/libc.js';
import { BIN, SHMKIT_SH, Tracker, hex, keyExists, requires, run, shmkit, uniqueKey } from '../helpers/index.js';
import { assertFails } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

test('create to a full stdout: exit 1 with one line, and the segment it made is removed', () => {
  const key = t.key(uniqueKey());
  const r = run('sh', ['-c', `${SHMKIT_SH} create --size 4096 --key ${hex(key)} > /dev/full`]);
  assertFails({ ...r, stdout: '' }, 1, 'create', /ENOSPC/);
  assert.match(r.stderr, /segment \d+ .*removed/);
  assert.equal(keyExists(key).shm, false, 'nothing left under the key');
});

test('create to a closed pipe: exit 141, silent, and the segment it made is removed', () => {
  const key = t.key(uniqueKey());
  // The reader of the pipe (true) is gone before create writes.
  const r = run('bash', ['--norc', '-c', `(sleep 0.3; ${SHMKIT_SH} create --size 4096 --key ${hex(key)}; echo "status $?" >&2) | true`]);
  assert.match(r.stderr, /^status 141\n$/);
  assert.equal(keyExists(key).shm, false, 'nothing left under the key');
});

test('create of a key that was there already, to a full stdout: the existing segment is not touched', () => {
  const key = uniqueKey();
  const id = t.shm(sys.shmget(key, 4096, 0o644 | 0o1000), key);
  const r = run('sh', ['-c', `${SHMKIT_SH} create --size 4096 --key ${hex(key)} > /dev/full`]);
  assert.equal(r.status, 1);
  assert.equal(sys.shmget(key, 0, 0), id, 'still there');
});

test('create with a mode that lacks the owner\'s read bit succeeds and reports the segment, as ipcmk -p 0 does', { skip: requires(['setpriv']) }, () => {
  const key = t.key(uniqueKey());
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN,
    'create', '--mode', '0', '--key', hex(key), '--size', '2048', '--exclusive', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.mode, 0);
  assert.equal(j.size, 2048);
  assert.equal(j.created, true);
  assert.equal(j.key, key);
  const ds = sys.shmStat(j.id);
  assert.equal(ds.uid, 65534);
  assert.equal(ds.mode & 0o777, 0);
  // And the library: Segment.create reports it too.
  const key2 = t.key(uniqueKey());
  const lib = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e',
    `const l = await import(${JSON.stringify(BIN.replace(/bin\/shmkit\.js$/, 'dist/index.js'))});
     const s = l.Segment.create({ key: ${key2}, size: 100n, mode: 0, exclusive: true });
     const r = l.createSegment({ key: 'private', size: 200n, mode: 0 });
     console.log(s.created, r.created, r.mode, r.size, r.info.uid);
     r.info.nattch === 0 && l.removeSegment({ id: r.id });`], { encoding: 'utf8' });
  assert.equal(lib.status, 0, lib.stderr);
  assert.equal(lib.stdout, 'true true 0 200n 65534\n');
  assert.equal(keyExists(key2).shm, true);
});

test('a create that fails leaves nothing behind', () => {
  const key = t.key(uniqueKey());
  assertFails(shmkit(['create', '--size', '0', '--key', hex(key)]), 2, 'create', /at least 1 byte/);
  assert.equal(keyExists(key).shm, false);
});
