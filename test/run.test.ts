// The runner behind npm test (and so .ci/run) fails when a test leaves a segment, a semaphore set or a queue behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sys from '../src/sys/libc.js';
import { ROOT, tempDir } from './helpers/index.js';

test('a test file that leaks makes the run fail and names what it left', () => {
  const record = join(tempDir(), 'leak.json');
  const env: NodeJS.ProcessEnv = { ...process.env, LEAK_RECORD: record, SHMKIT_TEST_IN_NS: '' };
  delete env.NODE_TEST_CONTEXT; // a run of its own, not a subtest of this one
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'run.js'), join(ROOT, 'test', 'fixtures', 'leaky.fixture.ts')], {
    encoding: 'utf8', env, timeout: 120_000,
  });
  try {
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /# LEAK: the suite left 1 segment\(s\), 1 semaphore set\(s\) and 1 message queue\(s\) behind:/);
    assert.match(r.stdout, /# pass 1/, 'the test itself passed: the leak alone fails the run');
  } finally {
    // Where the runner could not use a namespace of its own, the leak is in ours: remove exactly what it made.
    // (Ids in a namespace of the runner's own mean nothing here and must not be touched.)
    if (existsSync(record) && r.stdout.includes('host IPC namespace')) {
      const { shm, sem, msg } = JSON.parse(readFileSync(record, 'utf8'));
      try { sys.shmRmid(shm); } catch { /* it was in a namespace that is gone */ }
      try { sys.semRmid(sem); } catch { /* likewise */ }
      try { sys.msgRmid(msg); } catch { /* likewise */ }
    }
  }
});
