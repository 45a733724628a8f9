#!/usr/bin/env node
// The test runner behind `npm test` (after the type-check): node's test runner over test/**/*.test.ts, then a check
// that the suite left no System V segment or semaphore set behind.
//
// As root, where unshare(1) works, the suite runs in a private IPC namespace: it sees and touches only what it
// creates itself, so it can never remove another program's segment, and anything left over is certainly its own.
// Elsewhere (or with SHMKIT_TEST_HOST_NS=1) it runs in the host namespace and compares before and after.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function ipcObjects() {
  const read = (file) => {
    try {
      return readFileSync(file, 'latin1').split('\n').slice(1).filter((l) => l.trim()).map((l) => {
        const f = l.trim().split(/\s+/);
        return { key: (Number(f[0]) >>> 0).toString(16).padStart(8, '0'), id: f[1], line: l.trim() };
      });
    } catch {
      return [];
    }
  };
  return { shm: read('/proc/sysvipc/shm'), sem: read('/proc/sysvipc/sem'), msg: read('/proc/sysvipc/msg') };
}

const inNamespace = process.env.SHMKIT_TEST_IN_NS === '1';
if (!inNamespace && process.env.SHMKIT_TEST_HOST_NS !== '1' && process.getuid?.() === 0) {
  const probe = spawnSync('unshare', ['--ipc', 'true'], { stdio: 'ignore' });
  if (probe.status === 0) {
    const r = spawnSync('unshare', ['--ipc', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit', env: { ...process.env, SHMKIT_TEST_IN_NS: '1' },
    });
    process.exit(r.status ?? 1);
  }
}

const before = ipcObjects();
const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test');
console.log(`# shmkit tests: ${files.length} files, ${inNamespace ? 'private IPC namespace' : 'host IPC namespace'}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], { stdio: 'inherit', env: process.env });
const after = ipcObjects();
const known = (list) => new Set(list.map((o) => `${o.id}:${o.key}`));
const leftShm = after.shm.filter((o) => !known(before.shm).has(`${o.id}:${o.key}`));
const leftSem = after.sem.filter((o) => !known(before.sem).has(`${o.id}:${o.key}`));
const leftMsg = after.msg.filter((o) => !known(before.msg).has(`${o.id}:${o.key}`));
let status = r.status ?? 1;
if (leftShm.length || leftSem.length || leftMsg.length) {
  console.error(`# LEAK: the suite left ${leftShm.length} segment(s), ${leftSem.length} semaphore set(s) and ${leftMsg.length} message queue(s) behind:`);
  for (const o of leftShm) console.error(`#   shm ${o.line}`);
  for (const o of leftSem) console.error(`#   sem ${o.line}`);
  for (const o of leftMsg) console.error(`#   msg ${o.line}`);
  status = 1;
} else {
  console.log('# leak check: no segment, semaphore set or message queue left behind');
}
process.exit(status);
