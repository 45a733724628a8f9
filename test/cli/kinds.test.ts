// Semaphore sets and message queues (issue 16), each test in an IPC namespace of its own (unshare --ipc), where
// nothing else makes or removes objects and everything goes with the namespace when the script ends:
// - every --format ipcs view against the installed ipcs, byte for byte, on varied state (test/fixtures/kinds/
//   ipcstate.c: sets of 1 and 250 semaphores with values and waiters, queues with messages queued and a process
//   blocked in msgrcv, objects of another uid, a gap left by a removed set), in two time zones;
// - --json against /proc/sysvipc/sem and /proc/sysvipc/msg on every field, and the kernel calls against /proc;
// - rm of each kind by id and key, --all=sem, and the clean-up of a SIGKILLed --sync pair by rm --orphans alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHMKIT_SH, compileC, requires, shInOwnIpcNamespace, tempDir } from '../helpers/index.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'kinds', 'ipcstate.c');

/** Starts the fixture in the namespace and waits for it; $WAITERS holds the pids it printed. */
const startFixture = (exe: string, dir: string) => `
"${exe}" > "${dir}/ready" 2>&1 &
fixture=$!
i=0; while ! grep -q '^ready' "${dir}/ready" 2>/dev/null; do i=$((i+1)); [ $i -gt 1000 ] && { cat "${dir}/ready"; exit 7; }; sleep 0.01; done
WAITERS=$(sed -n 's/^ready //p' "${dir}/ready")
`;

/** The pairs compared: a name, shmkit's arguments, ipcs's arguments. */
function pairs(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  const views: Array<[string, string]> = [['', ''], ['--time', '-t'], ['--pid', '-p'], ['--creator', '-c']];
  const kinds: Array<[string, string]> = [['--sem', '-s'], ['--queues', '-q'], ['--all-kinds', '-a'], ['--sem --queues', '-s -q'], ['--shm --sem', '-m -s']];
  for (const [k, ik] of kinds) {
    for (const [v, iv] of views) {
      for (const [u, iu] of [['', ''], ['--human', '--human']]) {
        if (u && v) continue;
        out.push([`list ${k} ${v} ${u}`, `list ${k} --format ipcs ${v} ${u}`, `${ik} ${iv} ${iu}`]);
      }
    }
  }
  for (const id of [0, 2, 3]) out.push([`stat --sem ${id}`, `stat --sem ${id} --format ipcs`, `-s -i ${id}`]);
  for (const id of [0, 1, 2, 3]) {
    out.push([`stat --queue ${id}`, `stat --queue ${id} --format ipcs`, `-q -i ${id}`]);
    out.push([`stat --queue ${id} --human`, `stat --queue ${id} --format ipcs --human`, `-q -i ${id} --human`]);
  }
  for (const [k, ik] of [['sem', '-s'], ['msg', '-q'], ['all', '']]) {
    for (const [w, iw] of [['--limits', '-l'], ['--summary', '-u']]) {
      for (const [u, iu] of [['', ''], ['--bytes', '-b'], ['--human', '--human']]) out.push([`info ${k} ${w} ${u}`, `info --kind ${k} --format ipcs ${w} ${u}`, `${ik} ${iw} ${iu}`]);
    }
  }
  return out;
}

test('--format ipcs is ipcs byte for byte for semaphore sets and queues, in every view, in two time zones', { skip: requires(['root', 'cc', 'ipcs', 'unshare']) }, () => {
  const dir = tempDir();
  const exe = compileC(readFileSync(FIXTURE, 'utf8'), 'ipcstate', dir);
  const list = pairs();
  const zones = ['UTC', 'Asia/Kolkata'];
  let script = startFixture(exe, dir);
  // Every pair in the first zone; in the second, the ones that print times (the rest cannot differ by zone).
  const timed = (i: number) => / (-t|-i) /.test(` ${(list[i] as [string, string, string])[2]} `);
  const runs = (z: number) => list.map((_, i) => i).filter((i) => z === 0 || timed(i));
  zones.forEach((tz, z) => {
    for (const i of runs(z)) {
      const [, ours, theirs] = list[i] as [string, string, string];
      script += `TZ=${tz} ${SHMKIT_SH} ${ours} > "${dir}/ours.${z}.${i}" 2>&1; TZ=${tz} ipcs ${theirs} > "${dir}/theirs.${z}.${i}" 2>&1\n`;
    }
  });
  script += 'kill $fixture\n';
  const r = shInOwnIpcNamespace(script, { ...process.env, LC_ALL: 'C' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const differ: string[] = [];
  zones.forEach((tz, z) => {
    for (const i of runs(z)) {
      const [name] = list[i] as [string, string, string];
      const ours = readFileSync(join(dir, `ours.${z}.${i}`));
      const theirs = readFileSync(join(dir, `theirs.${z}.${i}`));
      if (!ours.equals(theirs)) differ.push(`${name} (TZ=${tz}):\n--- ipcs\n${theirs}\n--- shmkit\n${ours}`);
    }
  });
  assert.ok(runs(1).length >= 15, `${runs(1).length} pairs with times compared in the second zone`);
  assert.deepEqual(differ, [], differ.join('\n'));
  // The state is what the fixture says: the waiters and the messages show (else the comparison proved little).
  const sem0 = readFileSync(join(dir, `theirs.0.${list.findIndex(([n]) => n === 'stat --sem 0')}`), 'latin1');
  assert.match(sem0, /^0 +5 +1 +0 +\d+ +$/m, 'set 0: value 5, one process waiting to take');
  const big = readFileSync(join(dir, `theirs.0.${list.findIndex(([n]) => n === 'stat --sem 2')}`), 'latin1');
  assert.match(big, /^nsems = 250$/m);
  assert.match(big, /^3 +3 +0 +1 +\d+ +$/m, 'set 2: semaphore 3 has a process waiting for zero');
  assert.ok(readdirSync(dir).length > list.length * 2);
});

/** /proc/sysvipc/{sem,msg} as records of its header's names. */
function procRows(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trim().split('\n');
  const names = (head as string).trim().split(/\s+/);
  return lines.map((l) => Object.fromEntries(l.trim().split(/\s+/).map((v, i) => [names[i], v])));
}

const iso = (t: string) => (t === '0' ? null : new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z'));

test('--json has every field of /proc/sysvipc/sem and msg; the kernel calls agree with /proc; stat names the waiters', { skip: requires(['root', 'cc', 'unshare']) }, () => {
  const dir = tempDir();
  const exe = compileC(readFileSync(FIXTURE, 'utf8'), 'ipcstate', dir);
  const lib = join(ROOT, 'dist', 'index.js');
  const both = `const l = await import(${JSON.stringify(lib)}); const j = (x) => JSON.stringify(x, (k, v) => typeof v === 'bigint' ? v.toString() : v);
    console.log(j([l.listSemaphoreSets({ source: 'proc' }), l.listSemaphoreSets({ source: 'kernel' }), l.listQueues({ source: 'proc' }),
      l.listQueues({ source: 'kernel' }).map((q) => ({ ...q, qbytes: null }))]));`;
  const script = `${startFixture(exe, dir)}
cat /proc/sysvipc/sem > "${dir}/sem"; cat /proc/sysvipc/msg > "${dir}/msg"
${SHMKIT_SH} list --sem --json > "${dir}/sem.json"; ${SHMKIT_SH} list --queues --json > "${dir}/msg.json"
${SHMKIT_SH} list -a --json > "${dir}/all.json"
${SHMKIT_SH} stat --sem 0 --json > "${dir}/stat0.json"; ${SHMKIT_SH} stat --sem 2 > "${dir}/stat2.txt"
${SHMKIT_SH} stat --queue 1 --json > "${dir}/q1.json"; ${SHMKIT_SH} stat --queue 0 --json > "${dir}/q0.json"
"${process.execPath}" --input-type=module -e '${both.replace(/'/g, "'\\''")}' > "${dir}/sources.json"
echo "$WAITERS" > "${dir}/waiters"
kill $fixture
`;
  const r = shInOwnIpcNamespace(script);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const [take, zero, receive] = read('waiters').trim().split(' ').map(Number);

  const sems = JSON.parse(read('sem.json'));
  const semRows = procRows(read('sem'));
  assert.equal(sems.length, 3);
  assert.deepEqual(sems.map((s: Record<string, unknown>) => ({
    key: s.key, id: s.id, mode: s.mode, nsems: s.nsems, uid: s.uid, gid: s.gid, cuid: s.cuid, cgid: s.cgid, otime: s.otime, ctime: s.ctime,
  })), semRows.map((p) => ({
    key: Number(p.key) >>> 0, id: Number(p.semid), mode: parseInt(p.perms as string, 8) & 0o777, nsems: Number(p.nsems), uid: Number(p.uid),
    gid: Number(p.gid), cuid: Number(p.cuid), cgid: Number(p.cgid), otime: iso(p.otime as string), ctime: iso(p.ctime as string),
  })));
  const queues = JSON.parse(read('msg.json'));
  const msgRows = procRows(read('msg'));
  assert.equal(queues.length, 4);
  assert.deepEqual(queues.map((q: Record<string, unknown>) => ({
    key: q.key, id: q.id, mode: q.mode, cbytes: q.cbytes, qnum: q.qnum, lspid: q.lspid, lrpid: q.lrpid, uid: q.uid, gid: q.gid,
    cuid: q.cuid, cgid: q.cgid, stime: q.stime, rtime: q.rtime, ctime: q.ctime,
  })), msgRows.map((p) => ({
    key: Number(p.key) >>> 0, id: Number(p.msqid), mode: parseInt(p.perms as string, 8) & 0o777, cbytes: Number(p.cbytes), qnum: Number(p.qnum),
    lspid: Number(p.lspid), lrpid: Number(p.lrpid), uid: Number(p.uid), gid: Number(p.gid), cuid: Number(p.cuid), cgid: Number(p.cgid),
    stime: iso(p.stime as string), rtime: iso(p.rtime as string), ctime: iso(p.ctime as string),
  })));
  assert.deepEqual(queues.map((q: { qbytes: unknown }) => q.qbytes), [null, null, null, null], 'qbytes: not in /proc, so null in list');
  assert.equal(queues[0].keyHex, '0x5e000004');
  assert.equal(queues[2].owner, null, 'uid 4321 has no name');

  const [semProc, semKernel, msgProc, msgKernel] = JSON.parse(read('sources.json'));
  assert.deepEqual(semKernel, semProc, 'SEM_STAT_ANY over the indexes gives what /proc/sysvipc/sem does');
  assert.deepEqual(msgKernel, msgProc, 'MSG_STAT_ANY over the indexes gives what /proc/sysvipc/msg does');

  const all = JSON.parse(read('all.json'));
  assert.deepEqual(Object.keys(all), ['queues', 'segments', 'semaphoreSets']);
  assert.deepEqual([all.queues.length, all.segments.length, all.semaphoreSets.length], [4, 0, 3]);

  const s0 = JSON.parse(read('stat0.json'));
  assert.deepEqual(s0.semaphores.map((e: Record<string, unknown>) => [e.num, e.value, e.ncount, e.zcount]), [[0, 5, 1, 0]]);
  assert.deepEqual(s0.semaphores[0].waiting.map((w: { pid: number; op: number }) => [w.pid, w.op]), [[take, -10]], 'the process waiting to take 10, by pid');
  assert.match(read('stat2.txt'), new RegExp(`^3 +3 +0 +1 +.*${zero} ipcstate \\(for zero\\)$`, 'm'));
  assert.deepEqual(JSON.parse(read('q1.json')).waiting.map((w: { pid: number; call: string }) => [w.pid, w.call]), [[receive, 'msgrcv']]);
  const q0 = JSON.parse(read('q0.json'));
  assert.deepEqual([q0.qnum, q0.cbytes, q0.qbytes], [3, 1110, 16384], 'stat gives qbytes (IPC_STAT)');
});

test('rm removes sets and queues by id and key, --all=sem only sets, and a killed --sync pair by --orphans alone', { skip: requires(['root', 'unshare', 'cc']) }, () => {
  const dir = tempDir();
  const S = SHMKIT_SH;
  // A process that sends a message to a queue, takes it back and exits: an empty queue whose last sender and
  // receiver are gone.
  const qping = compileC(`#include <stdlib.h>
#include <sys/msg.h>
int main(int argc, char **argv) {
  struct { long type; char text[8]; } m = { 1, "ping" };
  int q = msgget((int)strtol(argv[1], 0, 0), IPC_CREAT | 0644);
  if (q < 0 || msgsnd(q, &m, 5, 0) < 0 || msgrcv(q, &m, sizeof m.text, 0, 0) < 0) return 1;
  return 0;
}`, 'qping', dir);
  const script = `set -e
s1=$(${S} create --sem 2 --key 0x61000001); s2=$(${S} create --sem 1 --private); s3=$(${S} create --sem 4 --key 0x61000003)
q1=$(${S} create --queue --key 0x61000004); q2=$(${S} create --queue --private); q3=$(${S} create --queue --key 0x61000006)
m1=$(${S} create --size 64 --key 0x61000007)
${S} rm --sem-id $s2 --sem-key 0x61000001 --queue-id $q2 -Q 0x61000004 -v 2> "${dir}/rm.err"
ipcs -s > "${dir}/after-rm.s"; ipcs -q > "${dir}/after-rm.q"
${S} rm --all=sem > "${dir}/all.out" 2> "${dir}/all.err" || echo "all without --yes: $?" >> "${dir}/all.err"
${S} rm --all=sem --yes
ipcs -a > "${dir}/after-all"
${S} rm --queue-id 999 2> "${dir}/missing.err" || echo "exit $?" >> "${dir}/missing.err"
${S} rm --sem-key 0x7fff0000 2>> "${dir}/missing.err" || echo "exit $?" >> "${dir}/missing.err"
${S} rm --id $m1
${S} create --sem 2 --key 0x6100000b --exclusive > /dev/null
${S} create --sem 2 --key 0x6100000b --exclusive 2> "${dir}/excl.err" || echo "exit $?" >> "${dir}/excl.err"
${S} create --sem 2 --key 0x6100000b 2>> "${dir}/excl.err"
${S} create --sem 0 2>> "${dir}/excl.err" || echo "exit $?" >> "${dir}/excl.err"
${S} rm -S 0x6100000b
"${qping}" 0x6100000a
# A --sync pair killed with SIGKILL leaves its segment and its semaphore set behind; rm --orphans takes both, and
# nothing else: not the queue nobody used, not the set nobody has touched.
keep=$(${S} create --sem 3 --key 0x61000008)
${S} writer --key 0x61000009 --sync --count 1000 --interval 1s > /dev/null 2>&1 & w=$!
${S} reader --key 0x61000009 --sync > /dev/null 2>&1 & r=$!
i=0; until ipcs -s | grep -q 0x61000009 && ipcs -m | grep -q 0x61000009; do i=$((i+1)); [ $i -gt 500 ] && exit 9; sleep 0.01; done
sleep 1.5
${S} stat --key 0x61000009 --json > "${dir}/link.json"; ${S} stat --key 0x61000009 > "${dir}/link.txt"
${S} list --no-color > "${dir}/link.list"; ${S} list --sem --json > "${dir}/link.sets"
kill -KILL $w $r; wait $w $r 2>/dev/null || true
${S} list -a --orphans --json > "${dir}/orphans.json"
${S} rm --orphans -v 2> "${dir}/orphans.err"
ipcs -a > "${dir}/after-orphans"
`;
  const r = shInOwnIpcNamespace(script);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const read = (name: string) => readFileSync(join(dir, name), 'latin1');
  assert.match(read('rm.err'), /removing semaphore set \d+ \(key 0x00000000, 1 semaphores, owner root\)/);
  assert.match(read('rm.err'), /removing semaphore set \d+ \(key 0x61000001, 2 semaphores/);
  assert.match(read('rm.err'), /removing message queue \d+ \(key 0x61000004, 0 messages/);
  assert.doesNotMatch(read('after-rm.s'), /0x61000001/);
  assert.match(read('after-rm.s'), /0x61000003/);
  assert.doesNotMatch(read('after-rm.q'), /0x61000004/);
  assert.match(read('after-rm.q'), /0x61000006/);
  assert.match(read('all.err'), /^shmkit: rm: --all would remove 1 semaphore set \(ids: \d+\); add --yes to remove them\nall without --yes: 2$/m);
  assert.doesNotMatch(read('after-all'), /0x61000003/, '--all=sem --yes removed the set');
  assert.match(read('after-all'), /0x61000006/, 'and not the queue');
  assert.match(read('after-all'), /0x61000007/, 'nor the segment');
  assert.equal(read('missing.err'), 'shmkit: rm: no message queue has id 999: EINVAL (Invalid argument); it may have been removed; shmkit list --queues shows the message queues there are\nexit 1\n'
    + 'shmkit: rm: no semaphore set has key 0x7fff0000: ENOENT (No such file or directory); shmkit list --sem shows the semaphore sets there are\nexit 1\n');
  // Before the kill: the segment names the set beside it, and list marks it.
  const set = JSON.parse(read('link.sets')).find((x: { keyHex: string }) => x.keyHex === '0x61000009');
  assert.equal(JSON.parse(read('link.json')).semaphoreSet, set.id);
  assert.match(read('link.txt'), new RegExp(`^semaphores +set ${set.id} has the same key \\(shmkit stat --sem ${set.id}\\)$`, 'm'));
  assert.match(read('link.list'), /^0x61000009 .* sem /m, 'list marks the segment: sem in its status');
  const orphans = JSON.parse(read('orphans.json'));
  assert.deepEqual(orphans.semaphoreSets.map((s: { keyHex: string }) => s.keyHex), ['0x61000009'], 'the pair\'s set is the only orphan set');
  assert.ok(orphans.segments.some((s: { keyHex: string }) => s.keyHex === '0x61000009'), 'the pair\'s segment is an orphan');
  assert.deepEqual(orphans.queues.map((q: { keyHex: string }) => q.keyHex), ['0x6100000a'], 'only the queue whose sender and receiver are gone; one never used is no orphan');
  const after = read('after-orphans');
  assert.doesNotMatch(after, /0x61000009/, 'segment and set of the killed pair both gone');
  assert.match(after, /0x61000006/, 'the queue is left');
  assert.match(after, /0x61000008/, 'the set nobody touched is left');
  assert.doesNotMatch(after, /0x6100000a/, 'the orphan queue is gone');
  assert.match(read('excl.err'), new RegExp('^shmkit: create: key 0x6100000b already has a semaphore set: EEXIST \\(File exists\\); drop --exclusive to open it, or remove it with: shmkit rm --sem-key 0x6100000b\nexit 1\n'
    + 'shmkit: create: key 0x6100000b already had semaphore set \\d+: opened it \\(--exclusive fails instead\\)\n'
    + "shmkit: create: invalid number of semaphores '0': expected a whole number of at least 1\nexit 2\n$"));
  assert.match(read('orphans.err'), /removing semaphore set \d+ \(key 0x61000009, 6 semaphores/);
});
