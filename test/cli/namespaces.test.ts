// Every IPC namespace (issue 19), as root, against real namespaces: three made with `unshare --ipc` and kept alive by
// a sleep, each with segments (one key in all three, of another size in each), a semaphore set and a queue; one held
// by a bind mount alone; a process attached in one; one holder in a docker-like cgroup. Every look inside is checked
// against what ipcs prints there (through nsenter). The holders' namespaces die with them, objects and all, so a
// failed test leaves nothing; the last test removes what it made itself and checks each namespace is empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, SHMKIT_SH, collect, compileC, requires, run, shmkit, shmkitAsync, tempDir, uniqueKey } from '../helpers/index.js';

const skip = requires(['unshare', 'cc', 'ipcs', 'setpriv'], 'namespaces are made with unshare --ipc, entered as root, and refused to nobody');

const SIZES = [8192, 65536, 1 << 20];
const KEY = skip ? 0 : uniqueKey();
const hex = (k: number) => `0x${k.toString(16).padStart(8, '0')}`;
const CONTAINER_ID = 'c0ffee'.padEnd(64, '0');

interface Holder {
  pid: number;
  inode: number;
  kill: () => void;
}
const holders: Holder[] = [];
let attacher: ReturnType<typeof collect> | undefined;
let bindFile = '';
let bindInode = 0;
let cgroup: { dir: string; made: string[]; base: string } | undefined;

const inodeOf = (pid: number | 'self') => statSync(`/proc/${pid}/ns/ipc`).ino;

/** A sleep in an IPC namespace of its own; resolves once unshare has moved it there. */
async function holder(): Promise<Holder> {
  const child = collect(spawn('unshare', ['--ipc', 'sleep', '600'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const pid = child.child.pid!;
  const ours = inodeOf('self');
  for (let i = 0; i < 200; i++) {
    try {
      const inode = inodeOf(pid);
      if (inode !== ours && readFileComm(pid) === 'sleep') return { pid, inode, kill: () => child.child.kill('SIGKILL') };
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`unshare --ipc did not start: ${child.err()}`);
}

function readFileComm(pid: number): string {
  return run('cat', [`/proc/${pid}/comm`]).stdout.trim();
}

/** A command run inside a holder's namespace (nsenter --ipc). */
function inside(pid: number | string, cmd: string[]): string {
  const where = typeof pid === 'number' ? ['--ipc', '--target', String(pid)] : [`--ipc=${pid}`];
  const r = run('nsenter', [...where, ...cmd]);
  assert.equal(r.status, 0, `nsenter ${cmd.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function ok(args: string[]): string {
  const r = shmkit(args);
  assert.equal(r.status, 0, `shmkit ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A cgroup hierarchy this root can make a group in: cgroup v2 (unified), else v1's pids. */
function cgroupBase(): string | null {
  for (const base of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup', '/sys/fs/cgroup/pids']) {
    if (existsSync(join(base, 'cgroup.procs'))) return base;
  }
  return null;
}

before(async () => {
  if (skip) return;
  for (let i = 0; i < 3; i++) holders.push(await holder());
  for (const [i, h] of holders.entries()) {
    ok(['create', '--namespace', String(h.pid), '--size', String(SIZES[i]), '--key', hex(KEY)]);
    ok(['create', '--namespace', String(h.pid), '--size', '4096', '--private']);
    ok(['create', '--namespace', String(h.pid), '--sem', String(i + 1), '--key', hex(KEY)]);
    ok(['create', '--namespace', String(h.pid), '--queue', '--key', hex(KEY)]);
  }
  // Limits of its own in the second namespace: ipc sysctls are per namespace.
  inside(holders[1]!.pid, ['sh', '-c', 'echo 1000 > /proc/sys/kernel/shmmni']);
  // A process attached in the first.
  const exe = compileC(`#include <sys/shm.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int c, char **v) { int id = shmget((key_t)strtoul(v[1], 0, 0), 0, 0); if (id < 0 || shmat(id, 0, 0) == (void *)-1) return 1; puts("ready"); fflush(stdout); pause(); return 0; }
`, 'attacher');
  attacher = collect(spawn('nsenter', ['--ipc', '--target', String(holders[0]!.pid), exe, hex(KEY)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  for (let i = 0; i < 500 && !attacher.out().includes('ready'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.match(attacher.out(), /ready/, `the attacher did not attach: ${attacher.err()}`);
  // A namespace no process is in, held by a bind mount.
  bindFile = join(tempDir(), 'ipc-ns');
  writeFileSync(bindFile, '');
  const u = run('unshare', [`--ipc=${bindFile}`, 'true']);
  assert.equal(u.status, 0, u.stderr);
  bindInode = statSync(bindFile).ino;
  inside(bindFile, ['ipcmk', '-M', '12288']);
  // The third holder in a cgroup of Docker's shape.
  const base = cgroupBase();
  if (base) {
    const made: string[] = [];
    let dir = base;
    for (const part of ['docker', CONTAINER_ID]) {
      dir = join(dir, part);
      if (!existsSync(dir)) {
        mkdirSync(dir);
        made.unshift(dir);
      }
    }
    writeFileSync(join(dir, 'cgroup.procs'), String(holders[2]!.pid));
    cgroup = { dir, made, base };
  }
});

after(() => {
  attacher?.child.kill('SIGKILL');
  for (const h of holders) h.kill();
  if (bindFile) run('umount', [bindFile]);
  if (cgroup) {
    // The holder is gone (killed above): wait for the group to empty, then remove what was made.
    for (let i = 0; i < 100; i++) {
      try {
        for (const d of cgroup.made) rmdirSync(d);
        break;
      } catch {
        run('sleep', ['0.02']);
      }
    }
  }
});

interface NsJson {
  namespace: { inode: number; pid: number | null; command: string | null; processes: number; container: { runtime: string; id: string } | null; mounts: Array<{ mountPoint: string }>; entered: boolean };
  segments?: Array<{ id: number; key: number; size: number; attached: Array<{ pid: number }> }>;
  semaphoreSets?: Array<{ key: number; nsems: number }>;
  queues?: Array<{ key: number }>;
}

test('list --all-namespaces --json: each namespace once, with its pid, and each object once, in its own namespace', { skip }, () => {
  const all = JSON.parse(ok(['list', '--all-namespaces', '--all-kinds', '--json'])) as NsJson[];
  const inodes = all.map((n) => n.namespace.inode);
  assert.equal(new Set(inodes).size, inodes.length, 'a namespace listed twice');
  for (const [i, h] of holders.entries()) {
    const mine = all.filter((n) => n.namespace.inode === h.inode);
    assert.equal(mine.length, 1, `namespace ${h.inode}`);
    const n = mine[0]!;
    assert.equal(n.namespace.pid, h.pid);
    assert.equal(n.namespace.command, 'sleep');
    assert.equal(n.namespace.entered, true);
    assert.deepEqual(n.segments!.map((s) => [s.key === KEY ? 'key' : s.key, s.size]).sort(), [[0, 4096], ['key', SIZES[i]]].sort());
    assert.deepEqual(n.semaphoreSets!.map((s) => [s.key, s.nsems]), [[KEY, i + 1]]);
    assert.deepEqual(n.queues!.map((q) => q.key), [KEY]);
    // Only the attacher, in the first namespace: a process of another namespace with a segment of the same id is not.
    if (i > 0) assert.deepEqual(n.segments!.find((s) => s.key === KEY)!.attached, []);
  }
  // nsenter without a PID namespace execs the attacher: it has nsenter's pid.
  const first = all.find((n) => n.namespace.inode === holders[0]!.inode)!;
  assert.deepEqual(first.segments!.find((s) => s.key === KEY)!.attached.map((a) => a.pid), [attacher!.child.pid]);
  // The key is in the three namespaces, and in no other of the listing.
  const withKey = all.filter((n) => n.segments!.some((s) => s.key === KEY)).map((n) => n.namespace.inode).sort();
  assert.deepEqual(withKey, holders.map((h) => h.inode).sort());
  // The bind mount's namespace: no process, its mount, its segment.
  const held = all.find((n) => n.namespace.inode === bindInode);
  assert.ok(held, 'the namespace held by a bind mount is listed');
  assert.equal(held.namespace.pid, null);
  assert.equal(held.namespace.processes, 0);
  assert.deepEqual(held.namespace.mounts.map((m) => m.mountPoint), [bindFile]);
  assert.deepEqual(held.segments!.map((s) => s.size), [12288]);
  if (cgroup) {
    const third = all.find((n) => n.namespace.inode === holders[2]!.inode)!;
    assert.deepEqual(third.namespace.container, { runtime: 'docker', id: CONTAINER_ID });
  }
});

test('list --all-namespaces --format ipcs: each namespace\'s section is what ipcs prints inside it, under its line', { skip }, () => {
  for (const args of [['-a'], ['-m'], ['-s', '-c'], ['-q', '-p']]) {
    const out = ok(['list', '--all-namespaces', '--format', 'ipcs', ...args]);
    const sections = new Map<number, { line: string; body: string }>();
    for (const part of out.split(/^(?=IPC namespace \d+)/m).filter(Boolean)) {
      const nl = part.indexOf('\n');
      sections.set(Number(/^IPC namespace (\d+)/.exec(part)![1]), { line: part.slice(0, nl), body: part.slice(nl + 1) });
    }
    const ipcsArgs = args.map((a) => (a === '-q' ? '-q' : a));
    for (const h of holders) {
      const s = sections.get(h.inode);
      assert.ok(s, `no section for ${h.inode}`);
      assert.match(s.line, new RegExp(`^IPC namespace ${h.inode}: pid ${h.pid} \\(sleep\\)`));
      assert.equal(s.body, inside(h.pid, ['ipcs', ...ipcsArgs]), `ipcs ${ipcsArgs.join(' ')} in ${h.inode}`);
    }
    assert.equal(sections.get(bindInode)?.body, inside(bindFile, ['ipcs', ...ipcsArgs]));
    assert.match(sections.get(bindInode)!.line, new RegExp(`no process, held by a bind mount on ${bindFile}`));
  }
  // The table: a line naming each namespace, over its own table.
  const table = ok(['list', '--all-namespaces']);
  assert.match(table, new RegExp(`^IPC namespace ${holders[1]!.inode}: pid ${holders[1]!.pid} \\(sleep\\)[^\n]*\nKEY +ID[^\n]*\n${hex(KEY)} +\\d+ +root +rw-r--r-- +65536 `, 'm'));
  if (cgroup) assert.match(table, new RegExp(`^IPC namespace ${holders[2]!.inode}: pid ${holders[2]!.pid} \\(sleep\\), docker c0ffee000000, 1 process$`, 'm'));
});

test('info --all-namespaces: each namespace\'s limits and usage as ipcs shows them there, the most shared memory first', { skip }, () => {
  for (const args of [['-l'], ['-u']]) {
    const out = ok(['info', '--all-namespaces', '--format', 'ipcs', '--kind', 'all', ...args]);
    const bodies = new Map(out.split(/^(?=IPC namespace \d+)/m).filter(Boolean).map((p) => [Number(/^IPC namespace (\d+)/.exec(p)![1]), p.slice(p.indexOf('\n') + 1)]));
    for (const h of holders) assert.equal(bodies.get(h.inode), inside(h.pid, ['ipcs', ...args]), `ipcs ${args[0]} in ${h.inode}`);
    assert.equal(bodies.get(bindInode), inside(bindFile, ['ipcs', ...args]));
  }
  const all = JSON.parse(ok(['info', '--all-namespaces', '--json'])) as Array<{ namespace: { inode: number }; shm: { limits: { shmmni: number }; usage: { usedIds: number; shmTot: number } } }>;
  const ours = all.filter((n) => holders.some((h) => h.inode === n.namespace.inode));
  // Sorted by shared memory in use: the third (1 MiB) first, then the second (64 KiB), then the first (8 KiB).
  assert.deepEqual(ours.map((n) => n.namespace.inode), [holders[2]!.inode, holders[1]!.inode, holders[0]!.inode]);
  const used = all.map((n) => n.shm.usage.shmTot);
  assert.deepEqual(used, [...used].sort((a, b) => b - a), 'sorted by pages in use');
  for (const n of ours) {
    const h = holders.find((x) => x.inode === n.namespace.inode)!;
    const u = inside(h.pid, ['ipcs', '-m', '-u']);
    assert.equal(n.shm.usage.usedIds, Number(/segments allocated (\d+)/.exec(u)![1]));
    assert.equal(n.shm.usage.shmTot, Number(/pages allocated (\d+)/.exec(u)![1]));
    assert.equal(n.shm.limits.shmmni, h === holders[1] ? 1000 : Number(/max number of segments = (\d+)/.exec(inside(h.pid, ['ipcs', '-m', '-l']))![1]));
  }
  // The table's first line of ours is the third namespace.
  const lines = ok(['info', '--all-namespaces']).split('\n');
  assert.match(lines[0]!, /^NAMESPACE +PID +COMMAND +CONTAINER +SEGMENTS +SHM USED/);
  const mine = lines.filter((l) => holders.some((h) => l.startsWith(`${h.inode} `)));
  assert.ok(mine[0]!.startsWith(`${holders[2]!.inode} `), mine.join('\n'));
  assert.match(mine.find((l) => l.startsWith(`${holders[1]!.inode} `))!, / 2\/1000 /);
});

test('--namespace: read, write, stat, set, lock and remove act in that namespace and in no other', { skip }, async () => {
  const [a, b, c] = holders as [Holder, Holder, Holder];
  // One key, three segments: each --namespace finds its own.
  for (const [i, h] of holders.entries()) {
    assert.equal((JSON.parse(ok(['stat', '--namespace', String(h.pid), '--key', hex(KEY), '--json'])) as { size: number }).size, SIZES[i]);
  }
  // The namespace named by its inode, by its file, and by a bind mount.
  assert.equal((JSON.parse(ok(['stat', '--namespace', String(b.inode), '--key', hex(KEY), '--json'])) as { size: number }).size, SIZES[1]);
  assert.equal((JSON.parse(ok(['stat', '--namespace', `/proc/${c.pid}/ns/ipc`, '--key', hex(KEY), '--json'])) as { size: number }).size, SIZES[2]);
  assert.match(ok(['list', '--namespace', bindFile, '--format', 'ipcs']), / 12288 /);
  assert.match(ok(['list', '--namespace', String(bindInode), '--format', 'ipcs']), / 12288 /);
  // A watcher in b sees b's write, not a's before it.
  const watch = shmkitAsync(['watch', '--namespace', String(b.pid), '--key', hex(KEY), '--count', '1', '--json', '--interval', '20ms']);
  await new Promise((r) => setTimeout(r, 600));
  ok(['attach-write', '--namespace', String(a.pid), '--key', hex(KEY), '--data', 'in-a']);
  await new Promise((r) => setTimeout(r, 200));
  ok(['attach-write', '--namespace', String(b.pid), '--key', hex(KEY), '--data', 'in-b']);
  const w = await watch.done;
  assert.equal(w.status, 0, w.stderr);
  assert.match(w.stdout, /"new": "in-b|696e2d62/);
  assert.doesNotMatch(w.stdout, /in-a|696e2d61/);
  assert.equal(ok(['read', '--namespace', String(a.pid), '--key', hex(KEY), '--length', '4', '--format', 'raw']), 'in-a');
  assert.equal(ok(['read', '--namespace', String(b.pid), '--key', hex(KEY), '--length', '4', '--format', 'raw']), 'in-b');
  assert.equal(ok(['read', '--namespace', String(c.pid), '--key', hex(KEY), '--length', '4', '--format', 'raw']), '\0\0\0\0');
  // The key is in none of this suite's own segments.
  assert.equal(run('ipcs', ['-m']).stdout.includes(hex(KEY)), false);
  // set and lock, seen by ipcs in that namespace only.
  ok(['set', '--namespace', String(c.pid), '--key', hex(KEY), '--mode', '600']);
  ok(['lock', '--namespace', String(c.pid), '--key', hex(KEY)]);
  const row = (h: Holder) => inside(h.pid, ['ipcs', '-m']).split('\n').find((l) => l.startsWith(hex(KEY)))!;
  assert.match(row(c), / 600 .* locked/);
  assert.match(row(a), / 644 /);
  assert.doesNotMatch(row(a), /locked/);
  ok(['unlock', '--namespace', String(c.pid), '--key', hex(KEY)]);
  // rm in b alone.
  ok(['rm', '--namespace', String(b.pid), '--key', hex(KEY)]);
  assert.equal(inside(b.pid, ['ipcs', '-m']).includes(hex(KEY)), false);
  assert.equal(inside(a.pid, ['ipcs', '-m']).includes(hex(KEY)), true);
  assert.equal(inside(c.pid, ['ipcs', '-m']).includes(hex(KEY)), true);
  ok(['create', '--namespace', String(b.pid), '--size', String(SIZES[1]), '--key', hex(KEY)]);
});

test('bad --namespace values: refused in one line, nothing done', { skip }, () => {
  const fifo = join(tempDir(), 'fifo');
  assert.equal(run('mkfifo', [fifo]).status, 0);
  const cases: Array<[string[], number, RegExp]> = [
    // A FIFO is opened without waiting for a writer, and refused.
    [['list', '--namespace', fifo], 2, /is not an IPC namespace's file \(setns: EINVAL\)/],
    [['list', '--namespace', 'nope'], 2, /'nope' names no IPC namespace/],
    [['list', '--namespace', '4294967295'], 1, /no IPC namespace has inode 4294967295/],
    [['stat', '--namespace', '/etc/hostname', '--id', '0'], 2, /is not an IPC namespace's file \(setns: EINVAL\)/],
    [['list', '--namespace', '/no/such/file'], 1, /no such file: \/no\/such\/file/],
    [['list', '--namespace', '1', '--all-namespaces'], 2, /give --namespace or --all-namespaces, not both/],
    [['rm', '--all-namespaces'], 2, /--all-namespaces goes with --orphans/],
  ];
  for (const [args, status, message] of cases) {
    const r = shmkit(args);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => !/could not be read even with CAP_SYS_PTRACE/.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, message);
    assert.match(lines[0]!, /^shmkit: \w+: /);
  }
});

test('unprivileged: --all-namespaces and --namespace are refused in one line that names the capability', { skip }, async () => {
  const asNobody = (args: string[]) => run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]);
  const r = asNobody(['list', '--all-namespaces', '--json']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^shmkit: list: .*needs CAP_SYS_PTRACE.*run it as root\n$/);
  // What it can see is listed: its own namespace, and none of the holders'.
  const seen = (JSON.parse(r.stdout) as NsJson[]).map((n) => n.namespace.inode);
  for (const h of holders) assert.equal(seen.includes(h.inode), false);
  const n = asNobody(['list', '--namespace', String(holders[0]!.pid)]);
  assert.equal(n.status, 1);
  assert.match(n.stderr, /^shmkit: list: open \/proc\/\d+\/ns\/ipc: EACCES .*CAP_SYS_PTRACE: run it as root\n$/);
  // A namespace nobody can see (its own user namespace's) but not enter: CAP_SYS_ADMIN.
  const own = collect(spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'unshare', '--user', '--ipc', 'sleep', '60'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    let inode = 0;
    for (let i = 0; i < 200 && inode === 0; i++) {
      await new Promise((res) => setTimeout(res, 10));
      try {
        if (readFileComm(own.child.pid!) === 'sleep') inode = inodeOf(own.child.pid!);
      } catch {
        // not yet
      }
    }
    assert.notEqual(inode, 0, `unshare --user --ipc as nobody: ${own.err()}`);
    const e = asNobody(['stat', '--namespace', String(own.child.pid), '--id', '0']);
    assert.equal(e.status, 1);
    assert.match(e.stderr, /^shmkit: stat: enter IPC namespace \d+: EPERM .*needs CAP_SYS_ADMIN: run it as root\n$/);
  } finally {
    own.child.kill('SIGKILL');
  }
});

test('rm --orphans --all-namespaces: lists what would go in each namespace, and removes it only with --yes', { skip }, () => {
  // Listing is safe on the host: it is what would go in every namespace, this suite's others too.
  const dry = shmkit(['rm', '--orphans', '--all-namespaces']);
  assert.equal(dry.status, 2, dry.stderr);
  assert.match(dry.stderr, /--orphans --all-namespaces would remove \d+ objects? in \d+ IPC namespaces? \(listed above\); add --yes to remove them/);
  for (const h of holders) {
    assert.match(dry.stdout, new RegExp(`^IPC namespace ${h.inode}: pid ${h.pid} \\(sleep\\)[^\\n]*\\n(  would remove [^\\n]*\\n)*  would remove segment \\d+ \\(key 0x00000000, 4096 bytes`, 'm'));
  }
  // Removing is not: other test files' orphans live in namespaces of their own. So --yes runs in a PID namespace
  // with its own /proc, where the only namespaces are the sandbox's and one it makes.
  const script = `
    set -e
    unshare --ipc sleep 60 & A=$!
    while [ "$(readlink /proc/$A/ns/ipc)" = "$(readlink /proc/self/ns/ipc)" ]; do sleep 0.01; done
    ${SHMKIT_SH} create --namespace $A --size 4096 --key ${hex(KEY)} >/dev/null
    ${SHMKIT_SH} create --size 4096 --key ${hex(KEY)} >/dev/null
    ${SHMKIT_SH} rm --orphans --all-namespaces --yes --verbose 2>&1 | grep -c 'removing segment' || true
    nsenter --ipc --target $A ipcs -m | grep -c '^0x' || true
    ipcs -m | grep -c '^0x' || true
    kill $A
  `;
  const r = run('unshare', ['--pid', '--fork', '--mount-proc', '--ipc', 'sh', '-c', script]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['2', '0', '0'], r.stdout + r.stderr);
});

test('nothing is left: what the tests made is removed, and every namespace they made is empty', { skip }, async () => {
  // The attacher detaches by going.
  attacher?.child.kill('SIGKILL');
  await attacher?.done;
  for (const h of holders) {
    for (const l of inside(h.pid, ['ipcs', '-m']).split('\n').filter((x) => x.startsWith('0x'))) {
      ok(['rm', '--namespace', String(h.pid), '--id', l.split(/\s+/)[1]!]);
    }
    ok(['rm', '--namespace', String(h.pid), '--sem-key', hex(KEY), '--queue-key', hex(KEY)]);
  }
  const left = inside(bindFile, ['ipcs', '-m']).split('\n').filter((x) => x.startsWith('0x'));
  for (const l of left) ok(['rm', '--namespace', bindFile, '--id', l.split(/\s+/)[1]!]);
  for (const where of [...holders.map((h) => h.pid), bindFile]) {
    assert.equal(inside(where, ['ipcs']).split('\n').filter((x) => x.startsWith('0x')).length, 0, `left in ${where}`);
  }
});
