// The core as a library, against the real kernel.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Attachment, createSegment, memoryOf, removeSegment, statSegment } from '../../src/core/segment.js';
import { InputError, OperationError } from '../../src/core/errors.js';
import { listSegments } from '../../src/core/list.js';
import { getLimits, getUsage } from '../../src/core/limits.js';
import { ROOT, Tracker, canUnshareIpc, hex, uniqueKey } from '../helpers/index.js';

const t = new Tracker();
after(() => t.cleanup());

test('create, write, read back, stat, remove', () => {
  const r = createSegment({ key: 'private', size: 100n, mode: 0o600 });
  t.shm(r.id);
  assert.equal(r.created, true);
  assert.equal(r.size, 100n);
  assert.equal(r.mode, 0o600);
  const seg = Attachment.attach({ id: r.id });
  try {
    seg.write(10, Buffer.from('hello'));
    assert.equal(seg.read(10, 5).toString(), 'hello');
    assert.equal(seg.indexOfNul(10, 90), 15);
    seg.fill(0, 100, 0x41);
    assert.equal(seg.read(0, 100).toString(), 'A'.repeat(100));
    assert.equal(statSegment({ id: r.id }).nattch, 1);
  } finally {
    seg.detach();
  }
  assert.equal(statSegment({ id: r.id }).nattch, 0);
  removeSegment({ id: r.id });
  assert.throws(() => statSegment({ id: r.id }), OperationError);
});

test('every offset and length is checked before memory is touched', () => {
  const r = createSegment({ key: 'private', size: 64n });
  t.shm(r.id);
  const seg = Attachment.attach({ id: r.id });
  try {
    assert.throws(() => seg.write(60, Buffer.alloc(5)), InputError);
    assert.throws(() => seg.write(65, Buffer.alloc(0)), InputError);
    assert.throws(() => seg.read(0, 65), InputError);
    assert.throws(() => seg.read(-1, 1), InputError);
    assert.throws(() => seg.read(1.5, 1), InputError);
    assert.throws(() => seg.fill(64, 1, 0), InputError);
    assert.equal(seg.read(0, 64).every((b) => b === 0), true, 'nothing was written by the refused calls');
    seg.write(64, Buffer.alloc(0)); // an empty write at the very end is fine
  } finally {
    seg.detach();
  }
});

test('after detach every access throws instead of touching unmapped memory', () => {
  const r = createSegment({ key: 'private', size: 4096n });
  t.shm(r.id);
  const seg = Attachment.attach({ id: r.id });
  seg.detach();
  seg.detach(); // idempotent
  assert.equal(seg.attached, false);
  assert.throws(() => seg.read(0, 1), OperationError);
  assert.throws(() => seg.write(0, Buffer.from('x')), OperationError);
  assert.throws(() => memoryOf(seg, 0, 1), OperationError);
  assert.throws(() => seg.writeToFd(1, 0, 1), OperationError);
});

test('a read-only attachment refuses writes', () => {
  const r = createSegment({ key: 'private', size: 16n });
  t.shm(r.id);
  const seg = Attachment.attach({ id: r.id }, { readonly: true });
  try {
    assert.throws(() => seg.write(0, Buffer.from('x')), /read-only/);
  } finally {
    seg.detach();
  }
});

/** The permissions of the /proc/self/maps line that starts at addr ('rw-s', 'r-xs'), or null where none does. */
function mapsPerms(addr: bigint): string | null {
  const line = readFileSync('/proc/self/maps', 'latin1').split('\n').find((l) => BigInt(`0x${l.split('-')[0]}`) === addr);
  return line?.split(' ')[1] ?? null;
}

test('address is where /proc/self/maps shows the mapping; exec maps it executable; null after detach', () => {
  const r = createSegment({ key: 'private', size: 8192n });
  t.shm(r.id);
  const plain = Attachment.attach({ id: r.id });
  const exec = Attachment.attach({ id: r.id }, { exec: true, readonly: true });
  try {
    assert.equal(mapsPerms(plain.address as bigint), 'rw-s');
    assert.equal(mapsPerms(exec.address as bigint), 'r-xs');
    assert.notEqual(plain.address, exec.address);
    // Read, never set: it is a getter of a frozen object.
    assert.throws(() => {
      (plain as unknown as { address: bigint }).address = 0n;
    }, TypeError);
  } finally {
    plain.detach();
    exec.detach();
  }
  assert.equal(plain.address, null);
  assert.equal(exec.address, null);
});

test('an existing key opens the segment unless exclusive; a bigger size is explained', () => {
  const key = uniqueKey();
  const a = createSegment({ key, size: 1032n });
  t.shm(a.id, key);
  assert.equal(a.created, true);
  const b = createSegment({ key, size: 100n });
  assert.equal(b.id, a.id);
  assert.equal(b.created, false);
  assert.throws(() => createSegment({ key, size: 100n, exclusive: true }), (e: unknown) => {
    assert.ok(e instanceof OperationError);
    assert.equal(e.sys?.code, 'EEXIST');
    assert.match(e.message, new RegExp(`key ${hex(key)} is taken`));
    assert.match(e.hint ?? '', new RegExp(`segment ${a.id} has it \\(1032 bytes`));
    return true;
  });
  assert.throws(() => createSegment({ key, size: 4096n }), (e: unknown) => {
    assert.ok(e instanceof OperationError);
    assert.equal(e.sys?.code, 'EINVAL');
    assert.equal(e.message.startsWith(`key ${hex(key)} exists with 1032 bytes and you asked for 4096`), true, e.message);
    return true;
  });
});

test('sizes the kernel refuses are explained: 0 and above shmmax', () => {
  assert.throws(() => createSegment({ key: 'private', size: 0n }), InputError);
  const { shmmax } = getLimits();
  if (shmmax < 0xffff_ffff_ffff_ffffn) {
    assert.throws(() => createSegment({ key: 'private', size: shmmax + 1n }), /above the kernel's limit/);
  }
});

test('a random key is a new segment with a non-zero key', () => {
  const r = createSegment({ size: 10n });
  t.shm(r.id, r.key);
  assert.notEqual(r.key, 0);
  assert.equal(statSegment({ key: r.key }).id, r.id);
});

test('the /proc listing and the SHM_STAT_ANY listing agree', () => {
  const r = createSegment({ key: uniqueKey(), size: 12345n, mode: 0o640 });
  t.shm(r.id, r.key);
  const fromProc = listSegments({ source: 'proc' }).find((s) => s.id === r.id);
  const fromKernel = listSegments({ source: 'kernel' }).find((s) => s.id === r.id);
  assert.ok(fromProc && fromKernel);
  assert.deepEqual({ ...fromKernel, rss: null, swap: null }, { ...fromProc, rss: null, swap: null });
  assert.equal(fromProc.size, 12345n);
  assert.equal(fromProc.mode, 0o640);
});

test('usage counts the segments, their pages and the resident ones', () => {
  // Usage is the whole namespace's, which the other test files change as they run: exact counts need a namespace
  // of its own, so the library runs in a child there. Elsewhere, only what cannot race is checked.
  if (!canUnshareIpc) {
    const r = createSegment({ key: 'private', size: 1n });
    t.shm(r.id);
    assert.ok(getUsage().usedIds >= 1);
    return;
  }
  const src = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, 'src', 'core', f)).href);
  const code = `
    import { Attachment, createSegment, removeSegment } from ${src('segment.ts')};
    import { getUsage } from ${src('limits.ts')};
    const seen = [getUsage()];
    const { id } = createSegment({ key: 'private', size: 5000n });
    seen.push(getUsage());
    const a = Attachment.attach({ id });
    a.fill(4096, 10, 1);
    a.detach();
    seen.push(getUsage());
    removeSegment({ id });
    seen.push(getUsage());
    console.log(seen.map((u) => [u.usedIds, u.shmTot, u.shmRss, u.shmSwp].join(" ")).join(","));`;
  const r = spawnSync('unshare', ['--ipc', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0 0 0 0,1 2 0 0,1 2 1 0,0 0 0 0', 'used ids, pages, resident, swapped: empty, made, written, removed');
});

test('the kernel listing finds a segment of mode 0 after lower indexes were freed', () => {
  // Make and drop segments so that the lowest indexes are likely free, then check ours is listed all the same.
  const drop = [createSegment({ key: 'private', size: 1n }), createSegment({ key: 'private', size: 1n })];
  const r = createSegment({ key: uniqueKey(), size: 7n, mode: 0 });
  t.shm(r.id, r.key);
  for (const d of drop) removeSegment({ id: d.id });
  const found = listSegments({ source: 'kernel' }).find((s) => s.id === r.id);
  assert.ok(found, 'listed');
  assert.equal(found.mode, 0);
});
