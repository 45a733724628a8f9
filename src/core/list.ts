// The getters of segment records: every segment (listSegments, eachSegment) and one (getSegment), complete with rss
// and swap where the kernel tells them. /proc/sysvipc/shm answers where it can be read (one read; it lists every
// segment whatever its permissions), else SHM_INFO and SHM_STAT_ANY over the kernel's indexes (SHM_STAT before Linux
// 4.17). Callers get records either way, and never learn which source answered but by asking (ListOptions.source).
import * as sys from '../sys/libc.js';
import { infoFromDs, readSegment, resolveId } from './control.js';
import { SysError, opError } from './errors.js';
import { PROC_SYSVIPC_SHM, readProcText, visitProcFile } from './proc.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export { PROC_SYSVIPC_SHM, integerText, type IntegerField } from './proc.js';

export type ListSource = 'auto' | 'proc' | 'kernel';

export interface ListOptions {
  /** 'auto' (default): /proc/sysvipc/shm, falling back to the kernel calls when it cannot be read. */
  source?: ListSource;
  /** The file to read for 'proc' and 'auto'. */
  procPath?: string;
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

/**
 * Visits the segments of /proc/sysvipc/shm for the source asked, as they are read; false where the kernel calls are
 * to answer instead ('auto' and a file that cannot be opened). 'proc' throws what opening it threw.
 */
function visitProc(opts: ListOptions, kind: 'kernel' | 'plain', visit: (s: SegmentInfo) => void): boolean {
  const source = opts.source ?? 'auto';
  if (source === 'kernel') return false;
  const path = opts.procPath ?? PROC_SYSVIPC_SHM;
  if (visitProcFile(path, kind, visit)) return true;
  if (source === 'proc') readProcText(path); // throws why it cannot be read
  return false;
}

/** Every segment, in the kernel's order, as plain records. */
export function listSegments(opts: ListOptions = {}): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  return visitProc(opts, 'plain', (s) => out.push(s)) ? out : listFromKernel();
}

/**
 * Every segment, in the kernel's order, visited one at a time: for a listing of thousands that writes each record
 * out and keeps none. Records read from /proc keep the kernel's digits, which integerText gives without a number
 * being made and printed again (a JSON listing of 2000 segments: ~28 ms less).
 */
export function eachSegment(visit: (s: SegmentInfo) => void, opts: ListOptions = {}): void {
  if (!visitProc(opts, 'kernel', visit)) for (const s of listFromKernel()) visit(s);
}

/**
 * One segment's complete record, for anyone who may see it (as /proc/sysvipc/shm and ipcs -i show it to all):
 * IPC_STAT, or SHM_STAT_ANY where IPC_STAT wants a read permission the caller lacks; with rss and swap from
 * /proc/sysvipc/shm, which only it tells (null where it cannot be read or does not have them).
 */
export function getSegment(target: SegmentTarget): SegmentInfo {
  const info = readSegment(resolveId(target));
  let row: SegmentInfo | undefined;
  try {
    visitProcFile(PROC_SYSVIPC_SHM, 'plain', (s) => {
      if (s.id === info.id) row = s;
    });
  } catch {
    // a line of another shape: the record without rss and swap
  }
  if (row) return { ...info, rss: row.rss, swap: row.swap };
  return info;
}
