// The kernel's System V shared memory limits (IPC_INFO) and usage (SHM_INFO).
import * as sys from '../sys/libc.js';
import { opError, SysError } from './errors.js';

export interface ShmLimits {
  /** Largest segment, in bytes. */
  shmmax: bigint;
  /** Smallest segment, in bytes. */
  shmmin: bigint;
  /** Most segments system-wide. */
  shmmni: bigint;
  /** Most segments one process may attach (the kernel does not enforce it). */
  shmseg: bigint;
  /** Most shared memory system-wide, in pages. */
  shmall: bigint;
}

export interface ShmUsage {
  /** Segments that exist. */
  usedIds: number;
  /** Pages allocated (each segment rounded up to whole pages). */
  shmTot: bigint;
  /** Pages resident. */
  shmRss: bigint;
  /** Pages swapped out. */
  shmSwp: bigint;
  swapAttempts: bigint;
  swapSuccesses: bigint;
}

export interface ShmSystemInfo {
  limits: ShmLimits;
  usage: ShmUsage;
  pageSize: number;
}

function wrap<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SysError) {
      throw opError(what, e, e.code === 'ENOSYS' || e.code === 'EINVAL' ? 'the kernel may not be configured for System V shared memory (CONFIG_SYSVIPC)' : undefined);
    }
    throw e;
  }
}

export function getLimits(): ShmLimits {
  const l = wrap('read limits (IPC_INFO)', () => sys.ipcInfo());
  return { shmmax: l.shmmax, shmmin: l.shmmin, shmmni: l.shmmni, shmseg: l.shmseg, shmall: l.shmall };
}

export function getUsage(): ShmUsage {
  const u = wrap('read usage (SHM_INFO)', () => sys.shmInfo());
  return { usedIds: u.usedIds, shmTot: u.shmTot, shmRss: u.shmRss, shmSwp: u.shmSwp, swapAttempts: u.swapAttempts, swapSuccesses: u.swapSuccesses };
}

export function getSystemInfo(): ShmSystemInfo {
  return { limits: getLimits(), usage: getUsage(), pageSize: sys.pageSize() };
}

export function getPageSize(): number {
  return sys.pageSize();
}
