// The list table as a person reads it (issue 14): it fits 80 columns with 5-digit ids and pids and 10-digit sizes,
// the mark after a pid that is gone is told under the table at a terminal (and only there), and the mark is ASCII
// where the locale is not UTF-8. In an IPC namespace of its own, where the next id can be set.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHMKIT_SH, compileC, requires, shInOwnIpcNamespace } from '../helpers/index.js';

// kernel.shm_next_id needs CONFIG_CHECKPOINT_RESTORE; but a removed id's sequence number goes up, so 100 segments
// made and removed first bring the next id to 5 digits (32804 here).
// Pids run up from wherever the machine's counter is (886 after it wrapped, on one CI run), and ns_last_pid needs
// the same CONFIG_CHECKPOINT_RESTORE: forking until a pid has 5 digits brings the processes after it there too
// (unless the counter wraps at pid_max meanwhile, which at 10000 forks it does not).
let burner = '';
const burn = () => (burner ||= compileC(`#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  for (int i = 0; i < 100; i++) shmctl(shmget(IPC_PRIVATE, 1, 0600), IPC_RMID, 0);
  for (int i = 0; i < 200000; i++) {
    pid_t p = fork();
    if (p == 0) _exit(0);
    if (p < 0) return 1;
    waitpid(p, 0, 0);
    if (p >= 10000 && p < 30000) return 0; // room before pid_max (32768 by default) for the processes after it
  }
  return 1;
}`, 'burn-ids'));

/** A segment of 1234567890 bytes with a 5-digit id, made and last attached by processes that are gone; then `list`. */
function listIn(list: string, env: NodeJS.ProcessEnv = {}) {
  const r = shInOwnIpcNamespace(`'${burn()}' &&
    ${SHMKIT_SH} create --key 0x12345678 --size 1234567890 > /dev/null &&
    ${SHMKIT_SH} attach-write --key 0x12345678 --data x && ${list}`, { ...process.env, ...env });
  assert.equal(r.status, 0, r.stderr);
  return Buffer.from(r.stdout, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
}

const NEEDS = requires(['root', 'unshare', 'cc'], 'to bring the next id to 5 digits inside an IPC namespace of its own');

describe('the list table', { skip: NEEDS }, () => {
  test('fits 80 columns, with a 5-digit id, 5-digit pids and a 10-digit size; a pipe gets no legend', () => {
    const out = listIn(`${SHMKIT_SH} list --no-color`, { LANG: 'C.UTF-8', LC_ALL: '' });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2, out);
    assert.match(lines[1]!, /^0x12345678 +\d{5} +root +rw-r--r-- +1234567890 +0 +\d{5}† +\d{5}† +\S+$/);
    for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  });
  test('an ASCII mark where the locale is not UTF-8', () => {
    for (const env of [{ LANG: 'C', LC_ALL: '' }, { LANG: 'en_US.UTF-8', LC_ALL: 'POSIX' }, { LANG: 'de_DE.ISO-8859-1', LC_ALL: '' }]) {
      const out = listIn(`${SHMKIT_SH} list --no-color`, env);
      assert.match(out, /\d\* +\d+\* /, JSON.stringify(env));
      assert.doesNotMatch(out, /†/);
    }
  });
  test('at a terminal, a legend line under the table says what the mark means', { skip: requires(['script']) }, () => {
    const utf8 = listIn(`script -qec "${SHMKIT_SH} list --no-color" /dev/null`, { LANG: 'C.UTF-8', LC_ALL: '' });
    assert.match(utf8, /\n† after a pid: the process is gone; a - for a pid: not in this PID namespace\n$/);
    const ascii = listIn(`script -qec "${SHMKIT_SH} list --no-color" /dev/null`, { LANG: 'C', LC_ALL: '' });
    assert.match(ascii, /\n\* after a pid: the process is gone; a - for a pid: not in this PID namespace\n$/);
    for (const line of utf8.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  });
});
