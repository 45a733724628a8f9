// Which segments are orphans, and how --older-than spares the ones touched lately. Pure: the pids' liveness and the
// clock are given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findOrphans, idleSeconds, isOrphan } from '../../src/core/orphans.js';
import type { SegmentInfo } from '../../src/core/types.js';

const NOW = 1_800_000_000;
const seg = (over: Partial<SegmentInfo>): SegmentInfo => ({
  key: 0x1234, id: 1, mode: 0o644, dest: false, locked: false, size: 10n, cpid: 100, lpid: 100, nattch: 0,
  uid: 0, gid: 0, cuid: 0, cgid: 0, atime: 0, dtime: 0, ctime: NOW - 60, rss: null, swap: null, ...over,
});
const dead = () => false;

test('an orphan: nobody attached, creator and last user dead, not removed already', () => {
  assert.equal(isOrphan(seg({}), { alive: dead }), true);
  assert.equal(isOrphan(seg({ nattch: 1 }), { alive: dead }), false);
  assert.equal(isOrphan(seg({ dest: true }), { alive: dead }), false);
  assert.equal(isOrphan(seg({ cpid: 7 }), { alive: (p) => p === 7 }), false);
  assert.equal(isOrphan(seg({ lpid: 8 }), { alive: (p) => p === 8 }), false);
  assert.equal(isOrphan(seg({}), dead), true, 'the alive function alone, as before OrphanOptions');
});

test('a pid of 0 is unknown (another PID namespace), never dead; lpid 0 on a segment never attached is nobody', () => {
  assert.equal(isOrphan(seg({ cpid: 0 }), { alive: dead }), false, 'creator not visible from here');
  assert.equal(isOrphan(seg({ lpid: 0, atime: NOW - 100 }), { alive: dead }), false, 'last user not visible from here');
  assert.equal(isOrphan(seg({ lpid: 0, dtime: NOW - 100 }), { alive: dead }), false, 'last user not visible from here');
  assert.equal(isOrphan(seg({ lpid: 0, atime: 0, dtime: 0 }), { alive: dead }), true, 'never attached: no last user');
  assert.equal(isOrphan(seg({ cpid: 0, lpid: 0 }), { alive: () => assert.fail('pid 0 is never asked about') }), false);
});

test('--older-than: the latest of change, attach and detach time counts', () => {
  const old = { alive: dead, now: NOW, olderThan: 3600 };
  assert.equal(idleSeconds(seg({ ctime: NOW - 7200 }), NOW), 7200);
  assert.equal(isOrphan(seg({ ctime: NOW - 7200 }), old), true);
  assert.equal(isOrphan(seg({ ctime: NOW - 3600 }), old), true, 'exactly the age counts');
  assert.equal(isOrphan(seg({ ctime: NOW - 3599 }), old), false);
  assert.equal(isOrphan(seg({ ctime: NOW - 7200, atime: NOW - 10 }), old), false, 'attached lately');
  assert.equal(isOrphan(seg({ ctime: NOW - 7200, atime: NOW - 7000, dtime: NOW - 10 }), old), false, 'detached lately');
  assert.deepEqual(findOrphans([seg({ id: 1, ctime: NOW - 7200 }), seg({ id: 2 })], old).map((s) => s.id), [1]);
  assert.deepEqual(findOrphans([seg({ id: 1, ctime: NOW - 7200 }), seg({ id: 2 })], { alive: dead }).map((s) => s.id), [1, 2]);
});
