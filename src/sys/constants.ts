// System V IPC constants for Linux x86_64 glibc (<sys/ipc.h>, <bits/ipc.h>, <bits/shm.h>, <bits/sem.h>, <bits/msq.h>).
// test/sys/layout.test.ts compiles a C program and checks every value here against the headers.

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;

export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;

export const SHM_LOCK = 11;
export const SHM_UNLOCK = 12;
export const SHM_STAT = 13;
export const SHM_INFO = 14;
export const SHM_STAT_ANY = 15;

/** shmget flags: huge pages, and no swap reserved. */
export const SHM_HUGETLB = 0o4000;
export const SHM_NORESERVE = 0o10000;
/** The huge page size in shmget's flags, as log2 of the size at this shift (<linux/shm.h>: glibc's headers lack it). */
export const SHM_HUGE_SHIFT = 26;

export const SHM_RDONLY = 0o10000;
export const SHM_RND = 0o20000;
/** shmat: the mapping may be executed. */
export const SHM_EXEC = 0o100000;

/** Mode bits the kernel reports in shm_perm.mode. */
export const SHM_DEST = 0o1000;
export const SHM_LOCKED = 0o2000;

/** semctl's index commands (struct seminfo, struct semid_ds by kernel index). */
export const SEM_STAT = 18;
export const SEM_INFO = 19;
export const SEM_STAT_ANY = 20;

/** msgctl's index commands (struct msginfo, struct msqid_ds by kernel index). */
export const MSG_STAT = 11;
export const MSG_INFO = 12;
export const MSG_STAT_ANY = 13;

/** semctl commands. */
export const GETPID = 11;
export const GETVAL = 12;
export const GETALL = 13;
export const GETNCNT = 14;
export const GETZCNT = 15;
export const SETVAL = 16;
export const SETALL = 17;

/** sembuf.sem_flg */
export const SEM_UNDO = 0x1000;

/** setns(2)'s nstype for an IPC namespace (<sched.h>). */
export const CLONE_NEWIPC = 0x08000000;
