// The kernel's System V limits (IPC_INFO) and usage (SHM_INFO, SEM_INFO, MSG_INFO), for each kind.
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { OperationError, opError, SysError } from './errors.js';
import { listQueues, listSemaphoreSets } from './kinds.js';
import { PROC_SYSVIPC_SHM, visitProcFile } from './proc.js';
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
    if (pageSize === null) return null;
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
    if (!visitProcFile(PROC_SYSVIPC_SHM, 'plain', add)) return null;
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

/** The kernel's semaphore limits (kernel.sem, or semctl IPC_INFO). */
export interface SemLimits {
  /** Most semaphores in one set. */
  semmsl: number;
  /** Most semaphores system-wide. */
  semmns: number;
  /** Most operations in one semop call. */
  semopm: number;
  /** Most sets system-wide. */
  semmni: number;
  /** The largest value a semaphore takes (SEMVMX, fixed in the kernel). */
  semvmx: number;
}

/** Semaphores in use (semctl SEM_INFO's semusz and semaem, or counted from /proc/sysvipc/sem). */
export interface SemUsage {
  sets: number;
  semaphores: number;
}

/** The kernel's message queue limits (kernel.msgmni, msgmax, msgmnb, or msgctl IPC_INFO). */
export interface MsgLimits {
  /** Most queues system-wide. */
  msgmni: number;
  /** Largest message, in bytes. */
  msgmax: number;
  /** A new queue's msg_qbytes: the most bytes it holds by default. */
  msgmnb: number;
}

/** Queues in use (msgctl MSG_INFO's msgpool, msgmap and msgtql, or summed from /proc/sysvipc/msg). */
export interface MsgUsage {
  queues: number;
  messages: bigint;
  bytes: bigint;
}

/** The kernel's SEMVMX: no semaphore's value goes above it (util-linux prints the same constant). */
const SEMVMX = 32767;

export function getSemLimits(source: InfoSource = 'auto'): SemLimits {
  if (source !== 'kernel') {
    try {
      const f = readFileSync('/proc/sys/kernel/sem', 'latin1').trim().split(/\s+/).map(Number);
      if (f.length === 4 && f.every(Number.isInteger)) return { semmsl: f[0]!, semmns: f[1]!, semopm: f[2]!, semmni: f[3]!, semvmx: SEMVMX };
    } catch (e) {
      if (source === 'proc') throw e;
    }
  }
  const i = wrap('read semaphore limits (semctl IPC_INFO)', () => sys.semIpcInfo());
  return { semmsl: i.semmsl, semmns: i.semmns, semopm: i.semopm, semmni: i.semmni, semvmx: i.semvmx };
}

export function getSemUsage(source: InfoSource = 'auto'): SemUsage {
  if (source !== 'kernel') {
    try {
      const sets = listSemaphoreSets({ source: 'proc' });
      return { sets: sets.length, semaphores: sets.reduce((sum, s) => sum + s.nsems, 0) };
    } catch (e) {
      if (source === 'proc') throw e;
    }
  }
  const i = wrap('read semaphore usage (semctl SEM_INFO)', () => sys.semInfo());
  return { sets: i.semusz, semaphores: i.semaem };
}

export function getMsgLimits(source: InfoSource = 'auto'): MsgLimits {
  if (source !== 'kernel') {
    try {
      const k = (name: string) => Number(readFileSync(`/proc/sys/kernel/${name}`, 'latin1').trim());
      return { msgmni: k('msgmni'), msgmax: k('msgmax'), msgmnb: k('msgmnb') };
    } catch (e) {
      if (source === 'proc') throw e;
    }
  }
  const i = wrap('read message queue limits (msgctl IPC_INFO)', () => sys.msgIpcInfo());
  return { msgmni: i.msgmni, msgmax: i.msgmax, msgmnb: i.msgmnb };
}

export function getMsgUsage(source: InfoSource = 'auto'): MsgUsage {
  if (source !== 'kernel') {
    try {
      const queues = listQueues({ source: 'proc' });
      return { queues: queues.length, messages: queues.reduce((sum, q) => sum + q.qnum, 0n), bytes: queues.reduce((sum, q) => sum + q.cbytes, 0n) };
    } catch (e) {
      if (source === 'proc') throw e;
    }
  }
  const i = wrap('read message queue usage (msgctl MSG_INFO)', () => sys.msgInfo());
  return { queues: i.msgpool, messages: BigInt(i.msgmap), bytes: BigInt(i.msgtql) };
}
