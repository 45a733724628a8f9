import assert from 'node:assert/strict';
import { hex, keyExists, type Run } from './index.js';

/** Exit code as given, stdout empty, and exactly one line on stderr: "shmkit: <command>: ..." (the command once) matching re. */
export function assertFails(r: Run, code: number, command: string, re: RegExp): void {
  assert.equal(r.status, code, `exit ${r.status} (wanted ${code}); stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', `stdout should be empty, was: ${r.stdout}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.ok(lines[0]!.startsWith(command ? `shmkit: ${command}: ` : "shmkit: "), `prefix: ${lines[0]}`);
  if (command) assert.ok(!lines[0]!.startsWith(`shmkit: ${command}: ${command}: `), `the command named once: ${lines[0]}`);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

export function assertOk(r: Run): void {
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
}

/** No segment and no semaphore set is left under key. */
export function assertNothingLeft(key: number): void {
  assert.deepEqual(keyExists(key), { shm: false, sem: false }, `nothing left under ${hex(key)}`);
}
