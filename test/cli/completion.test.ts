// Shell completion, made from the option tables: real command lines completed by bash with the bash script and with
// the zsh script (whose function is bash's, run through bashcompinit), and the fish script's lines read for the same
// options. Flags that take no value (info -l, rm -n) complete the options, never nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as sys from '../../src/sys/libc.js';
import { BIN, Tracker, shmkit } from '../helpers/index.js';
import { assertOk } from '../helpers/assert.js';

/** [the words before the cursor, the word being completed, what the answer must hold] */
const CASES: Array<[string, string, (reply: string[], id: string, key: string) => boolean, string]> = [
  ['', 'li', (r) => r.join(' ') === 'list', 'a command'],
  ['read --format', '', (r) => r.join(' ') === 'text raw hex', "read's formats"],
  ['list -F', '', (r) => r.join(' ') === 'table json ipcs', "list's formats, by the short flag"],
  ['stat --format', 'j', (r) => r.join(' ') === 'json', "stat's formats, from a prefix"],
  ['info --source', '', (r) => r.join(' ') === 'auto proc kernel', "info's sources"],
  ['stat --id', '', (r, id) => r.includes(id), 'live ids'],
  ['rm -i', '', (r, id) => r.includes(id), 'live ids, by the short flag'],
  ['attach-write --key', '', (r, _id, key) => r.includes(key), 'live keys'],
  ['stat --namespace', '', (r) => r.includes(String(statSync('/proc/thread-self/ns/ipc').ino)), 'the IPC namespaces, by inode'],
  ['info -l', '--', (r) => r.includes('--json') && r.includes('--summary'), 'options after a flag that takes no value (-l)'],
  ['rm -n', '--', (r) => r.includes('--verbose') && r.includes('--orphans'), 'options after a flag that takes no value (-n)'],
  ['writer -n', '', (r) => r.length === 0, 'nothing for a count'],
  ['create --size', '', (r) => r.length === 0, 'nothing for a size'],
  ['create --ftok', '/et', (r) => r.includes('/etc'), 'files for --ftok'],
  ['attach-write --file', '/et', (r) => r.includes('/etc'), 'files for --file'],
  ['list --orphans --older-than', '', (r) => r.length === 0, 'nothing for an age'],
  ['demo', '--', (r) => r.includes('--sync') && r.includes('--interval') && !r.includes('--json'), "demo's own options"],
];

function completeIn(script: string): string[] {
  const lines = CASES.map(([before, cur], i) => {
    const words = ['shmkit', ...before.split(' ').filter(Boolean), cur].map((w) => `'${w}'`).join(' ');
    return `COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _shmkit; echo "${i}:\${COMPREPLY[*]}"`;
  });
  const r = spawnSync('bash', ['--norc', '-c', `shmkit() { '${process.execPath}' '${BIN}' "$@"; }\n${script}\n${lines.join('\n')}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+):(.*)$/.exec(line);
    if (m) out[Number(m[1])] = m[2]!;
  }
  return out;
}

for (const shell of ['bash', 'zsh'] as const) {
  test(`${shell} completion completes real command lines (run by bash)`, () => {
    const t = new Tracker();
    const key = 0x5c0de000 + (process.pid & 0xfff);
    const id = String(t.shm(sys.shmget(key, 16, 0o600 | 0o1000 | 0o2000)));
    try {
      const generated = shmkit(['completion', shell]);
      assertOk(generated);
      // zsh's script is #compdef, then bashcompinit, then bash's function: bash runs that function as it is.
      const script = shell === 'zsh' ? generated.stdout.split('\n').filter((l) => !/^(#compdef|autoload)/.test(l)).join('\n') : generated.stdout;
      if (shell === 'zsh') assert.match(generated.stdout, /^#compdef shmkit\n.*\nautoload -U \+X bashcompinit && bashcompinit\n/);
      const replies = completeIn(script);
      const hexKey = '0x' + key.toString(16).padStart(8, '0');
      CASES.forEach(([before, cur, ok, what], i) => {
        const reply = (replies[i] ?? '').split(' ').filter(Boolean);
        assert.ok(ok(reply, id, hexKey), `${what}: shmkit ${before} ${cur}<TAB> gave [${reply.join(' ')}]`);
      });
    } finally {
      t.cleanup();
    }
  });
}

test('fish completion: each option that takes a value says what it takes, the others take none', () => {
  const fish = shmkit(['completion', 'fish']);
  assertOk(fish);
  const line = (cmd: string, long: string) => fish.stdout.split('\n').find((l) => l.includes(`__fish_seen_subcommand_from ${cmd}'`) && l.includes(` -l ${long} `));
  assert.match(line('read', 'format') ?? '', / -r -a 'text raw hex' /);
  assert.match(line('info', 'source') ?? '', / -r -a 'auto proc kernel' /);
  assert.match(line('stat', 'id') ?? '', / -r -a '\(shmkit __complete ids\)' /);
  assert.match(line('attach-write', 'key') ?? '', / -r -a '\(shmkit __complete keys\)' /);
  assert.match(line('list', 'namespace') ?? '', / -r -a '\(shmkit __complete namespaces\)' /);
  assert.match(line('create', 'ftok') ?? '', / -r -F /);
  for (const [cmd, long] of [['info', 'limits'], ['rm', 'dry-run'], ['list', 'orphans']] as const) {
    const l = line(cmd, long) ?? '';
    assert.ok(l !== '' && !/ -r /.test(l), `${cmd} --${long} takes no value: ${l}`);
  }
  assert.match(fish.stdout, /^complete -c shmkit -n __fish_use_subcommand -a list /m);
});
