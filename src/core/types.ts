/** One System V shared memory segment, as IPC_STAT or /proc/sysvipc/shm describe it. */
export interface SegmentInfo {
  id: number;
  /** The key as an unsigned 32-bit number (0 = IPC_PRIVATE, and the key of a removed segment still attached). */
  key: number;
  /** Permission bits (mode & 0777). */
  mode: number;
  /** Marked for removal (SHM_DEST): it goes when the last process detaches. */
  dest: boolean;
  /** Locked in memory (SHM_LOCKED). */
  locked: boolean;
  size: bigint;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  cpid: number;
  lpid: number;
  nattch: number;
  /** Seconds since the epoch; 0 when never set. */
  atime: number;
  dtime: number;
  ctime: number;
  /** Resident and swapped bytes, from /proc/sysvipc/shm; null where the kernel does not say. */
  rss: bigint | null;
  swap: bigint | null;
}

/** A process that has a segment attached, found through /proc/PID/maps. */
export interface AttachedProcess {
  pid: number;
  command: string;
  /** How many times it has the segment mapped. */
  attachments: number;
  /**
   * The page size of its mapping in bytes, from the mapping's device: the base page size (shmem), or a huge page's
   * (hugetlbfs, SHM_HUGETLB). null where the kernel's devices are not known.
   */
  pageSize: number | null;
}

export type SegmentTarget = { id: number } | { key: number };

/** The three kinds of System V IPC object. */
export type IpcKind = 'shm' | 'sem' | 'msg';

/** What every System V object has: its ipc_perm. mode is the nine permission bits. */
export interface IpcObject {
  id: number;
  /** The key as an unsigned 32-bit number (0 = IPC_PRIVATE). */
  key: number;
  mode: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
}

/** A semaphore set, as IPC_STAT or /proc/sysvipc/sem describe it. */
export interface SemaphoreSetInfo extends IpcObject {
  nsems: number;
  /** Seconds since the epoch of the last semop; 0 when none yet. */
  otime: number;
  /** Its creation, or the last IPC_SET or SETVAL/SETALL. */
  ctime: number;
}

/** One semaphore of a set: GETVAL, GETNCNT, GETZCNT and GETPID. */
export interface SemaphoreState {
  num: number;
  value: number;
  /** Processes waiting for the value to grow. */
  ncount: number;
  /** Processes waiting for it to be zero. */
  zcount: number;
  /** The pid of the last semop on it; 0 for none (or one this PID namespace cannot see). */
  pid: number;
}

/** A message queue, as IPC_STAT or /proc/sysvipc/msg describe it. */
export interface QueueInfo extends IpcObject {
  /** Bytes queued. */
  cbytes: bigint;
  /** Messages queued. */
  qnum: bigint;
  /** The most bytes it may hold (msg_qbytes); null where the source does not say (/proc/sysvipc/msg). */
  qbytes: bigint | null;
  /** The pid of the last msgsnd and of the last msgrcv; 0 for none (or not visible from this PID namespace). */
  lspid: number;
  lrpid: number;
  /** Seconds since the epoch: last msgsnd, last msgrcv, creation or last IPC_SET; 0 when never. */
  stime: number;
  rtime: number;
  ctime: number;
}

export type IpcTarget = { id: number } | { key: number };
