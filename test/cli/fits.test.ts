// "Will it fit?" (issue 14): create --dry-run and info --fits answer before anything is made, limit by limit, and a
// real create that hits ENOSPC names the limit with its numbers. Each case runs in an IPC namespace of its own whose
// limits it lowers (kernel.shm* are per namespace), so the numbers are exact and nothing else is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHMKIT_SH, requires, shInOwnIpcNamespace, shmkit } from '../helpers/index.js';
import { assertFails } from '../helpers/assert.js';

const NEEDS = requires(['root', 'unshare'], 'to lower the limits inside an IPC namespace of its own');

/** Runs the shmkit command line in a namespace whose limits are set first; stdout, stderr and the exit status. */
function inNamespace(sysctl: string, setup: string, command: string) {
  const r = shInOwnIpcNamespace(`sysctl -qw ${sysctl} && ${setup} ${SHMKIT_SH} ${command}; echo "status $?" >&2`);
  const status = Number(/status (\d+)\n$/.exec(r.stderr)?.[1]);
  return { stdout: r.stdout, stderr: r.stderr.replace(/status \d+\n$/, ''), status };
}

test('create --dry-run fits: exit 0, every limit with its headroom, exact JSON, nothing made', { skip: NEEDS }, () => {
  const r = inNamespace('kernel.shmmax=18446744073692774399 kernel.shmall=18446744073692774399 kernel.shmmni=8',
    `${SHMKIT_SH} create --size 4096 --private > /dev/null &&`, 'create --size 2G --dry-run --json && ipcs -m | grep -c 0x');
  assert.equal(r.status, 0, r.stderr);
  const [json, count] = r.stdout.split(/\n(?=\d+\n$)/);
  assert.equal(count?.trim(), '1', 'only the setup segment exists: the dry run made none');
  assert.equal(json!.replace(/"ipcNamespace": \{[^}]*\}/, '"ipcNamespace": {}'), `{
  "fits": true,
  "size": 2147483648,
  "count": 1,
  "pageSize": 4096,
  "limits": {
    "shmmin": {
      "allowed": 1,
      "used": 0,
      "asked": 2147483648,
      "headroom": 2147483647,
      "unit": "bytes",
      "fits": true
    },
    "shmmax": {
      "allowed": 18446744073692774399,
      "used": 0,
      "asked": 2147483648,
      "headroom": 18446744071545290751,
      "unit": "bytes",
      "fits": true
    },
    "shmall": {
      "allowed": 18446744073692774399,
      "used": 1,
      "asked": 524288,
      "headroom": 18446744073692250110,
      "unit": "pages",
      "fits": true
    },
    "shmmni": {
      "allowed": 8,
      "used": 1,
      "asked": 1,
      "headroom": 6,
      "unit": "segments",
      "fits": true
    }
  },
  "ipcNamespace": {}
}`);
  assert.equal(r.stderr, '');
});

const NOT: Array<[string, string, string, RegExp]> = [
  ['kernel.shmmax=1000', '', 'create --size 2000 --dry-run',
    /^shmkit: create: does not fit: shmmax is 1000 bytes, and the segment has 2000; raise it with: sysctl kernel\.shmmax=2000\n$/],
  ['kernel.shmall=10', `${SHMKIT_SH} create --size 8192 --private > /dev/null &&`, 'info --fits 40000',
    /^shmkit: info: does not fit: shmall is 10 pages, and 12 are needed \(2 in use \+ 10 asked\); raise it with: sysctl kernel\.shmall=12\n$/],
  ['kernel.shmmni=3', `${SHMKIT_SH} create --size 1 --private > /dev/null &&`, 'info --fits 1 --count 3',
    /^shmkit: info: does not fit: shmmni is 3 segments, and 4 are needed \(1 in use \+ 3 asked\); raise it with: sysctl kernel\.shmmni=4\n$/],
];
for (const [sysctl, setup, command, re] of NOT) {
  test(`${command} with ${sysctl}: exit 1, the table, and one line naming the limit and its sysctl`, { skip: NEEDS }, () => {
    const r = inNamespace(sysctl, setup, command);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /: does not fit\n/);
    assert.match(r.stdout, /does not fit: \d+ too many/);
    assert.match(r.stderr, re);
  });
}

test('a create that hits ENOSPC names the limit and its numbers', { skip: NEEDS }, () => {
  const mni = inNamespace('kernel.shmmni=2', `${SHMKIT_SH} create --size 1 --private > /dev/null && ${SHMKIT_SH} create --size 1 --private > /dev/null &&`, 'create --size 1 --private');
  assert.equal(mni.status, 1);
  assert.match(mni.stderr, /^shmkit: create: no room for another segment: shmmni allows 2 and 2 are in use: ENOSPC \(No space left on device\); .*sysctl kernel\.shmmni=3\n$/);
  const all = inNamespace('kernel.shmall=3', `${SHMKIT_SH} create --size 8192 --private > /dev/null &&`, 'create --size 8192 --private');
  assert.equal(all.status, 1);
  assert.match(all.stderr, /^shmkit: create: no room for 2 more pages: shmall allows 3 and 2 are in use: ENOSPC .*sysctl kernel\.shmall=4\n$/);
});

test('the fit options are refused where they do not go', () => {
  assertFails(shmkit(['info', '--count', '3']), 2, 'info', /--count goes with --fits$/);
  assertFails(shmkit(['info', '--fits', '1M', '--limits']), 2, 'info', /--fits and --limits cannot be used together$/);
  assertFails(shmkit(['info', '--fits', 'lots']), 2, 'info', /invalid size 'lots'/);
  assertFails(shmkit(['create', '--size', '1', '--dry-run', '--exclusive']), 2, 'create', /--dry-run and --exclusive cannot be used together$/);
});
