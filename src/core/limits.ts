// The kernel's System V shared memory limits (IPC_INFO) and usage (SHM_INFO).
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { OperationError, opError, SysError } from './errors.js';
import { parseProcSysvipcShm, procSegmentsText } from './proc.js';
import { currentIpcNamespace, type IpcNamespace } from './namespace.js';
import type { SegmentInfo } from './types.js';

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
  /** Whose limits and usage these are: the IPC namespace (null where the kernel does not show it). */
  ipcNamespace: IpcNamespace | null;
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

/**
 * Where info comes from. 'kernel': shmctl IPC_INFO and SHM_INFO (and sysconf for the page size). 'proc': files that
 * hold the same numbers, read without the FFI (as ipcs reads the limits): /proc/sys/kernel/shmmax, shmall and shmmni
 * (IPC_INFO's shmmin is always 1 and its shmseg is shmmni), sums over /proc/sysvipc/shm for the usage (SHM_INFO's
 * shm_tot is each segment's size in whole pages, shm_rss and shm_swp its rss and swap in pages), and AT_PAGESZ from
 * /proc/self/auxv. 'auto' (the default): proc, or kernel for anything /proc cannot tell. The two agree to the digit (a
 * test checks it); SHM_INFO is one consistent snapshot where /proc/sysvipc/shm is read a page at a time.
 */
export type InfoSource = 'auto' | 'proc' | 'kernel';

export function getSystemInfo(source: InfoSource = 'auto'): ShmSystemInfo {
  return { ...numbers(source), ipcNamespace: currentIpcNamespace() };
}

/** The limits, usage and page size, from the source asked for (the namespace is the same whichever it is). */
function numbers(source: InfoSource): Omit<ShmSystemInfo, 'ipcNamespace'> {
  if (source !== 'kernel') {
    const fromProc = procSystemInfo();
    if (fromProc !== null) return fromProc;
    if (source === 'proc') throw new OperationError('cannot read the limits and usage from /proc (/proc/sys/kernel/shm*, /proc/sysvipc/shm)');
  }
  return { limits: getLimits(), usage: getUsage(), pageSize: sys.pageSize() };
}

function procSystemInfo(): Omit<ShmSystemInfo, 'ipcNamespace'> | null {
  try {
    const pageSize = auxvPageSize();
    const text = procSegmentsText();
    if (pageSize === null || text === null) return null;
    const kernel = (name: string) => BigInt(readFileSync(`/proc/sys/kernel/${name}`, 'latin1').trim());
    const shmmni = kernel('shmmni');
    const limits: ShmLimits = { shmmax: kernel('shmmax'), shmmin: 1n, shmmni, shmseg: shmmni, shmall: kernel('shmall') };
    const page = BigInt(pageSize);
    let usedIds = 0;
    let shmTot = 0n;
    let rss = 0n;
    let swap = 0n;
    let complete = true;
    const add = (s: SegmentInfo) => {
      usedIds++;
      shmTot += (s.size + page - 1n) / page;
      if (s.rss === null || s.swap === null) complete = false;
      else {
        rss += s.rss;
        swap += s.swap;
      }
    };
    for (const s of parseProcSysvipcShm(text)) add(s);
    if (!complete) return null; // a kernel without rss and swap in /proc/sysvipc/shm: SHM_INFO knows them
    return { limits, usage: { usedIds, shmTot, shmRss: rss / page, shmSwp: swap / page, swapAttempts: 0n, swapSuccesses: 0n }, pageSize };
  } catch {
    return null;
  }
}

/** The page size the kernel told this process at exec (AT_PAGESZ in /proc/self/auxv), or null. */
function auxvPageSize(): number | null {
  const AT_PAGESZ = 6n;
  const auxv = readFileSync('/proc/self/auxv');
  for (let at = 0; at + 16 <= auxv.length; at += 16) {
    const type = auxv.readBigUInt64LE(at);
    if (type === 0n) break;
    if (type === AT_PAGESZ) return Number(auxv.readBigUInt64LE(at + 8));
  }
  return null;
}

export function getPageSize(): number {
  return sys.pageSize();
}
