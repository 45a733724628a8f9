// Will it fit? The kernel's checks of shmget(IPC_CREAT) (ipc/shm.c newseg), made before anything is created: the size
// against shmmin and shmmax (EINVAL), the pages of count such segments against what shmall leaves (ENOSPC), and count
// more ids against shmmni (ENOSPC), in this IPC namespace. Integers throughout: shmall and shmmax are 2^64 - 2^24 by
// default, which a double (and jq 1.6) rounds.
import { getSystemInfo, type InfoSource } from './limits.js';
import type { IpcNamespace } from './namespace.js';

/** One of the kernel's limits, as it applies to the segments asked for. */
export interface FitCheck {
  limit: 'shmmin' | 'shmmax' | 'shmall' | 'shmmni';
  /** What the limit counts: a segment's bytes, pages of all segments, segments. */
  unit: 'bytes' | 'pages' | 'segments';
  /** shmmin is a floor: the size must be at least it; the others are ceilings. */
  floor: boolean;
  /** The limit's value. */
  allowed: bigint;
  /** What is in use already (0 for the per-segment limits). */
  used: bigint;
  /** What the segments asked for add: the size, their pages, their ids. */
  asked: bigint;
  /** What is left after them: allowed - used - asked for a ceiling, asked - allowed for the floor; negative: no fit. */
  headroom: bigint;
  fits: boolean;
}

export interface FitAnswer {
  fits: boolean;
  size: bigint;
  count: number;
  pageSize: number;
  checks: FitCheck[];
  ipcNamespace: IpcNamespace | null;
}

/** Whether count segments of size bytes can be created now, limit by limit. */
export function willFit(size: bigint, count = 1, source: InfoSource = 'auto'): FitAnswer {
  const { limits, usage, pageSize, ipcNamespace } = getSystemInfo(source);
  const n = BigInt(count);
  const page = BigInt(pageSize);
  const pages = ((size + page - 1n) / page) * n;
  const ceiling = (limit: FitCheck['limit'], unit: FitCheck['unit'], allowed: bigint, used: bigint, asked: bigint): FitCheck => {
    const headroom = allowed - used - asked;
    return { limit, unit, floor: false, allowed, used, asked, headroom, fits: headroom >= 0n };
  };
  const checks: FitCheck[] = [
    { limit: 'shmmin', unit: 'bytes', floor: true, allowed: limits.shmmin, used: 0n, asked: size, headroom: size - limits.shmmin, fits: size >= limits.shmmin },
    ceiling('shmmax', 'bytes', limits.shmmax, 0n, size),
    ceiling('shmall', 'pages', limits.shmall, usage.shmTot, pages),
    ceiling('shmmni', 'segments', limits.shmmni, BigInt(usage.usedIds), n),
  ];
  return { fits: checks.every((c) => c.fits), size, count, pageSize, checks, ipcNamespace };
}
