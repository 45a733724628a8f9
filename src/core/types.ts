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
