// The koffi declarations and constants agree with what cc sees in the system headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as C from '../../src/sys/constants.js';
import { layout } from '../../src/sys/libc.js';
import { compileC, requires } from '../helpers/index.js';

const program = `
#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/sem.h>
#include <sys/msg.h>
#include <sched.h>
#define S(t) printf("sizeof %s %zu\\n", #t, sizeof(t));
#define O(t, f) printf("offsetof %s.%s %zu\\n", #t, #f, offsetof(t, f));
#define K(c) printf("const %s %ld\\n", #c, (long)(c));
int main(void) {
  S(struct ipc_perm) S(struct shmid_ds) S(struct shminfo) S(struct shm_info) S(struct sembuf) S(struct semid_ds) S(struct seminfo) S(struct msqid_ds) S(struct msginfo) S(struct timespec)
  O(struct shmid_ds, shm_perm.__key) O(struct shmid_ds, shm_perm.uid) O(struct shmid_ds, shm_perm.gid)
  O(struct shmid_ds, shm_perm.cuid) O(struct shmid_ds, shm_perm.cgid) O(struct shmid_ds, shm_perm.mode)
  O(struct shmid_ds, shm_segsz) O(struct shmid_ds, shm_atime) O(struct shmid_ds, shm_dtime) O(struct shmid_ds, shm_ctime)
  O(struct shmid_ds, shm_cpid) O(struct shmid_ds, shm_lpid) O(struct shmid_ds, shm_nattch)
  O(struct shminfo, shmmax) O(struct shminfo, shmmin) O(struct shminfo, shmmni) O(struct shminfo, shmseg) O(struct shminfo, shmall)
  O(struct shm_info, used_ids) O(struct shm_info, shm_tot) O(struct shm_info, shm_rss) O(struct shm_info, shm_swp)
  O(struct shm_info, swap_attempts) O(struct shm_info, swap_successes)
  O(struct semid_ds, sem_perm.mode) O(struct semid_ds, sem_perm.uid) O(struct semid_ds, sem_perm.cuid)
  O(struct semid_ds, sem_otime) O(struct semid_ds, sem_nsems) O(struct semid_ds, sem_ctime) O(struct semid_ds, sem_perm.__key)
  O(struct semid_ds, sem_perm.gid) O(struct semid_ds, sem_perm.cgid)
  O(struct seminfo, semmap) O(struct seminfo, semmni) O(struct seminfo, semmns) O(struct seminfo, semmnu) O(struct seminfo, semmsl)
  O(struct seminfo, semopm) O(struct seminfo, semume) O(struct seminfo, semusz) O(struct seminfo, semvmx) O(struct seminfo, semaem)
  O(struct msqid_ds, msg_perm.__key) O(struct msqid_ds, msg_perm.mode) O(struct msqid_ds, msg_perm.uid) O(struct msqid_ds, msg_perm.gid)
  O(struct msqid_ds, msg_perm.cuid) O(struct msqid_ds, msg_perm.cgid) O(struct msqid_ds, msg_stime) O(struct msqid_ds, msg_rtime)
  O(struct msqid_ds, msg_ctime) O(struct msqid_ds, __msg_cbytes) O(struct msqid_ds, msg_qnum) O(struct msqid_ds, msg_qbytes)
  O(struct msqid_ds, msg_lspid) O(struct msqid_ds, msg_lrpid)
  O(struct msginfo, msgpool) O(struct msginfo, msgmap) O(struct msginfo, msgmax) O(struct msginfo, msgmnb) O(struct msginfo, msgmni)
  O(struct msginfo, msgssz) O(struct msginfo, msgtql) O(struct msginfo, msgseg)
  K(IPC_PRIVATE) K(IPC_CREAT) K(IPC_EXCL) K(IPC_NOWAIT) K(IPC_RMID) K(IPC_SET) K(IPC_STAT) K(IPC_INFO)
  K(SHM_LOCK) K(SHM_UNLOCK) K(SHM_STAT) K(SHM_INFO) K(SHM_STAT_ANY) K(SHM_RDONLY) K(SHM_RND) K(SHM_EXEC) K(SHM_HUGETLB) K(SHM_NORESERVE) K(SHM_DEST) K(SHM_LOCKED)
  K(GETPID) K(GETVAL) K(GETALL) K(GETNCNT) K(GETZCNT) K(SETVAL) K(SETALL) K(SEM_UNDO) K(SEM_STAT) K(SEM_INFO) K(SEM_STAT_ANY) K(MSG_STAT) K(MSG_INFO) K(MSG_STAT_ANY) K(CLONE_NEWIPC)
  return 0;
}
`;

test('SHM_HUGE_SHIFT is <linux/shm.h>\'s (glibc\'s headers do not have it)', { skip: requires(['cc']) }, () => {
  const exe = compileC('#include <linux/shm.h>\n#include <stdio.h>\nint main(void) { printf("%d %d\\n", SHM_HUGE_SHIFT, SHM_HUGE_2MB); return 0; }\n', 'huge-shift');
  assert.equal(spawnSync(exe, { encoding: 'utf8' }).stdout, `${C.SHM_HUGE_SHIFT} ${21 << C.SHM_HUGE_SHIFT}\n`);
});

test('struct layouts and constants match the C headers', { skip: requires(['cc']) }, () => {
  const { OFF, ipc_perm, semid_ds, seminfo, msqid_ds, msginfo, sembuf, shm_info, shmid_ds, shminfo, timespec } = layout();
  const exe = compileC(program, 'layout');
  const out = spawnSync(exe, { encoding: 'utf8' }).stdout;
  const facts = new Map(out.trim().split('\n').map((l) => {
    const at = l.lastIndexOf(' ');
    return [l.slice(0, at), Number(l.slice(at + 1))] as const;
  }));
  const want = (k: string) => {
    const v = facts.get(k);
    assert.notEqual(v, undefined, `the C program printed no ${k}`);
    return v;
  };
  assert.equal(ipc_perm.size, want('sizeof struct ipc_perm'));
  assert.equal(shmid_ds.size, want('sizeof struct shmid_ds'));
  assert.equal(shminfo.size, want('sizeof struct shminfo'));
  assert.equal(shm_info.size, want('sizeof struct shm_info'));
  assert.equal(sembuf.size, want('sizeof struct sembuf'));
  assert.equal(semid_ds.size, want('sizeof struct semid_ds'));
  assert.equal(timespec.size, want('sizeof struct timespec'));
  assert.equal(seminfo.size, want('sizeof struct seminfo'));
  assert.equal(msqid_ds.size, want('sizeof struct msqid_ds'));
  assert.equal(msginfo.size, want('sizeof struct msginfo'));
  const fields: Array<[keyof typeof OFF, string]> = [
    ['key', 'struct shmid_ds.shm_perm.__key'], ['uid', 'struct shmid_ds.shm_perm.uid'], ['gid', 'struct shmid_ds.shm_perm.gid'],
    ['cuid', 'struct shmid_ds.shm_perm.cuid'], ['cgid', 'struct shmid_ds.shm_perm.cgid'], ['mode', 'struct shmid_ds.shm_perm.mode'],
    ['segsz', 'struct shmid_ds.shm_segsz'], ['atime', 'struct shmid_ds.shm_atime'], ['dtime', 'struct shmid_ds.shm_dtime'],
    ['ctime', 'struct shmid_ds.shm_ctime'], ['cpid', 'struct shmid_ds.shm_cpid'], ['lpid', 'struct shmid_ds.shm_lpid'],
    ['nattch', 'struct shmid_ds.shm_nattch'],
    ['shmmax', 'struct shminfo.shmmax'], ['shmmin', 'struct shminfo.shmmin'], ['shmmni', 'struct shminfo.shmmni'],
    ['shmseg', 'struct shminfo.shmseg'], ['shmall', 'struct shminfo.shmall'],
    ['used_ids', 'struct shm_info.used_ids'], ['shm_tot', 'struct shm_info.shm_tot'], ['shm_rss', 'struct shm_info.shm_rss'],
    ['shm_swp', 'struct shm_info.shm_swp'], ['swap_attempts', 'struct shm_info.swap_attempts'], ['swap_successes', 'struct shm_info.swap_successes'],
    ['sem_mode', 'struct semid_ds.sem_perm.mode'], ['sem_uid', 'struct semid_ds.sem_perm.uid'], ['sem_cuid', 'struct semid_ds.sem_perm.cuid'],
    ['sem_otime', 'struct semid_ds.sem_otime'], ['sem_nsems', 'struct semid_ds.sem_nsems'],
    ['sem_ctime', 'struct semid_ds.sem_ctime'], ['sem_key', 'struct semid_ds.sem_perm.__key'], ['sem_gid', 'struct semid_ds.sem_perm.gid'],
    ['sem_cgid', 'struct semid_ds.sem_perm.cgid'],
    ...(['semmap', 'semmni', 'semmns', 'semmnu', 'semmsl', 'semopm', 'semume', 'semusz', 'semvmx', 'semaem'] as const).map((f) => [f, `struct seminfo.${f}`] as [keyof typeof OFF, string]),
    ['msg_key', 'struct msqid_ds.msg_perm.__key'], ['msg_mode', 'struct msqid_ds.msg_perm.mode'], ['msg_uid', 'struct msqid_ds.msg_perm.uid'],
    ['msg_gid', 'struct msqid_ds.msg_perm.gid'], ['msg_cuid', 'struct msqid_ds.msg_perm.cuid'], ['msg_cgid', 'struct msqid_ds.msg_perm.cgid'],
    ['msg_stime', 'struct msqid_ds.msg_stime'], ['msg_rtime', 'struct msqid_ds.msg_rtime'], ['msg_ctime', 'struct msqid_ds.msg_ctime'],
    ['msg_cbytes', 'struct msqid_ds.__msg_cbytes'], ['msg_qnum', 'struct msqid_ds.msg_qnum'], ['msg_qbytes', 'struct msqid_ds.msg_qbytes'],
    ['msg_lspid', 'struct msqid_ds.msg_lspid'], ['msg_lrpid', 'struct msqid_ds.msg_lrpid'],
    ...(['msgpool', 'msgmap', 'msgmax', 'msgmnb', 'msgmni', 'msgssz', 'msgtql', 'msgseg'] as const).map((f) => [f, `struct msginfo.${f}`] as [keyof typeof OFF, string]),
  ];
  for (const [ours, theirs] of fields) assert.equal(OFF[ours], want(`offsetof ${theirs}`), `offset of ${theirs}`);
  const constants = C as unknown as Record<string, number>;
  for (const name of ['IPC_PRIVATE', 'IPC_CREAT', 'IPC_EXCL', 'IPC_NOWAIT', 'IPC_RMID', 'IPC_SET', 'IPC_STAT', 'IPC_INFO', 'SHM_LOCK',
    'SHM_UNLOCK', 'SHM_STAT', 'SHM_INFO', 'SHM_STAT_ANY', 'SHM_RDONLY', 'SHM_RND', 'SHM_EXEC', 'SHM_HUGETLB', 'SHM_NORESERVE', 'SHM_DEST', 'SHM_LOCKED', 'GETPID', 'GETVAL',
    'GETALL', 'GETNCNT', 'GETZCNT', 'SETVAL', 'SETALL', 'SEM_UNDO', 'SEM_STAT', 'SEM_INFO', 'SEM_STAT_ANY', 'MSG_STAT', 'MSG_INFO', 'MSG_STAT_ANY', 'CLONE_NEWIPC']) {
    assert.equal(constants[name], want(`const ${name}`), name);
  }
});
