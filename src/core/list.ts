// Every segment on the system. Read from /proc/sysvipc/shm where it exists (one read; it lists every segment whatever
// its permissions), else from SHM_INFO and SHM_STAT_ANY over the kernel's indexes (SHM_STAT before Linux 4.17).
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { SHM_DEST, SHM_LOCKED } from '../sys/constants.js';
import { SysError, opError } from './errors.js';
import { infoFromDs } from './segment.js';
import type { SegmentInfo } from './types.js';

export const PROC_SYSVIPC_SHM = '/proc/sysvipc/shm';

export type ListSource = 'auto' | 'proc' | 'kernel';

export interface ListOptions {
  /** 'auto' (default): /proc/sysvipc/shm, falling back to the kernel calls when it cannot be read. */
  source?: ListSource;
  /** The file to read for 'proc' and 'auto'. */
  procPath?: string;
}

/** Parses /proc/sysvipc/shm. Lines with fewer than 14 fields are skipped, as util-linux does; rss and swap are optional. */
export function parseProcSysvipcShm(text: string): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  let start = text.indexOf('\n') + 1; // skip the header
  if (start === 0) return out;
  const end = text.length;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = end;
    const f = text.slice(start, nl).trim().split(/\s+/);
    start = nl + 1;
    if (f.length < 14) continue;
    const mode = parseInt(f[2] as string, 8);
    const rss = f[14];
    const swap = f[15];
    out.push({
      key: Number(f[0]) >>> 0,
      id: Number(f[1]),
      mode: mode & 0o777,
      dest: (mode & SHM_DEST) !== 0,
      locked: (mode & SHM_LOCKED) !== 0,
      size: BigInt(f[3] as string),
      cpid: Number(f[4]),
      lpid: Number(f[5]),
      nattch: Number(f[6]),
      uid: Number(f[7]),
      gid: Number(f[8]),
      cuid: Number(f[9]),
      cgid: Number(f[10]),
      atime: Number(f[11]),
      dtime: Number(f[12]),
      ctime: Number(f[13]),
      rss: rss !== undefined && /^[0-9]+$/.test(rss) ? BigInt(rss) : null,
      swap: swap !== undefined && /^[0-9]+$/.test(swap) ? BigInt(swap) : null,
    });
  }
  return out;
}

function listFromKernel(): SegmentInfo[] {
  let maxIndex: number;
  try {
    maxIndex = sys.shmInfo().maxIndex;
  } catch (e) {
    if (e instanceof SysError) throw opError('list segments (SHM_INFO)', e, 'the kernel may not be configured for System V shared memory');
    throw e;
  }
  // SHM_STAT_ANY (Linux 4.17+) lists every segment whatever its permissions. An older kernel answers EINVAL for it
  // at every index, free or not: only when a whole pass found nothing while segments exist, use SHM_STAT instead.
  const any = scanIndexes(maxIndex, true);
  if (any.length > 0 || sys.shmInfo().usedIds === 0) return any;
  return scanIndexes(maxIndex, false);
}

function scanIndexes(maxIndex: number, any: boolean): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  for (let index = 0; index <= maxIndex; index++) {
    try {
      const { id, ds } = sys.shmStatIndex(index, any);
      out.push(infoFromDs(id, ds));
    } catch (e) {
      // EINVAL: a free index; EACCES: not readable with SHM_STAT. Either way, not listed.
      if (!(e instanceof SysError)) throw e;
    }
  }
  return out;
}

/** Every segment, in the kernel's order. */
export function listSegments(opts: ListOptions = {}): SegmentInfo[] {
  const source = opts.source ?? 'auto';
  if (source !== 'kernel') {
    let text: string | null = null;
    try {
      text = readFileSync(opts.procPath ?? PROC_SYSVIPC_SHM, 'latin1');
    } catch (e) {
      if (source === 'proc') throw e;
    }
    if (text !== null) return parseProcSysvipcShm(text);
  }
  return listFromKernel();
}

/** One segment's row from /proc/sysvipc/shm (for rss and swap), or null. */
export function procRow(id: number, procPath = PROC_SYSVIPC_SHM): SegmentInfo | null {
  try {
    return parseProcSysvipcShm(readFileSync(procPath, 'latin1')).find((s) => s.id === id) ?? null;
  } catch {
    return null;
  }
}
