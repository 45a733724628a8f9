// Every segment on the system. Read from /proc/sysvipc/shm where it exists (one read; it lists every segment whatever
// its permissions), else from SHM_INFO and SHM_STAT_ANY over the kernel's indexes (SHM_STAT before Linux 4.17).
import { closeSync, openSync, readSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { SHM_DEST, SHM_LOCKED } from '../sys/constants.js';
import { SysError, opError } from './errors.js';
import { infoFromDs } from './control.js';
import type { SegmentInfo } from './types.js';

export const PROC_SYSVIPC_SHM = '/proc/sysvipc/shm';

export type ListSource = 'auto' | 'proc' | 'kernel';

export interface ListOptions {
  /** 'auto' (default): /proc/sysvipc/shm, falling back to the kernel calls when it cannot be read. */
  source?: ListSource;
  /** The file to read for 'proc' and 'auto'. */
  procPath?: string;
}

/**
 * The line the kernel writes: 14 numbers, or 16 with rss and swap, separated by spaces, in canonical decimal (no
 * leading zeros; the perms in octal). One regular expression over the whole text reads such lines in V8's compiled
 * regex engine: 2000 of them in ~11 ms where splitting each line took ~17 ms (a JSON listing runs this once, before V8 has
 * optimised any of our code; issue 6). Numbers kept as JavaScript numbers are at most 15 digits, so that their text
 * and the number read from it say the same; sizes are any length (BigInt).
 */
const N15 = '(0|[1-9]\\d{0,14})';
const BIG = '(0|[1-9]\\d*)';
const LINE = new RegExp(`^ *(-?(?:0|[1-9]\\d{0,14})) +${N15} +([0-7]{1,6}) +${BIG}${' +' + N15}${(' +' + N15).repeat(9)}(?: +${BIG} +${BIG})? *$`, 'gm');

/** The mode bits beside the permissions in a line's perms field. */
export { SHM_DEST, SHM_LOCKED };

/** Where each field is in the fields of a kernel-shaped line (ProcFields). */
export const PROC_FIELD = {
  key: 1, id: 2, perms: 3, size: 4, cpid: 5, lpid: 6, nattch: 7, uid: 8, gid: 9, cuid: 10, cgid: 11,
  atime: 12, dtime: 13, ctime: 14, rss: 15, swap: 16,
} as const;

/**
 * A kernel-shaped line's fields as the kernel wrote them, at the PROC_FIELD indexes: canonical decimal text (perms in
 * octal, key signed), rss and swap undefined where the kernel does not print them.
 */
export type ProcFields = ArrayLike<string | undefined>;

/** The SegmentInfo of a kernel-shaped line. */
export function infoFromProcFields(f: ProcFields): SegmentInfo {
  const mode = parseInt(f[3] as string, 8);
  return {
    key: Number(f[1]) >>> 0,
    id: Number(f[2]),
    mode: mode & 0o777,
    dest: (mode & SHM_DEST) !== 0,
    locked: (mode & SHM_LOCKED) !== 0,
    size: BigInt(f[4] as string),
    cpid: Number(f[5]),
    lpid: Number(f[6]),
    nattch: Number(f[7]),
    uid: Number(f[8]),
    gid: Number(f[9]),
    cuid: Number(f[10]),
    cgid: Number(f[11]),
    atime: Number(f[12]),
    dtime: Number(f[13]),
    ctime: Number(f[14]),
    rss: f[15] === undefined ? null : BigInt(f[15]),
    swap: f[16] === undefined ? null : BigInt(f[16]),
  };
}

/**
 * Every segment in /proc/sysvipc/shm text, in order: a line of the kernel's shape as its fields' text (for output that
 * can use the kernel's own digits), any other line parsed the general way. Lines with fewer than 14 fields are
 * skipped, as util-linux does.
 */
export function visitProcSysvipcShm(text: string, fields: (f: ProcFields) => void, info: (s: SegmentInfo) => void): void {
  let pos = text.indexOf('\n') + 1; // skip the header
  if (pos === 0 || pos === text.length) return; // no segments: not even the regular expression is compiled
  const line = new RegExp(LINE);
  line.lastIndex = pos;
  for (;;) {
    const m = line.exec(text);
    const next = m === null ? text.length : m.index;
    if (next > pos) parseLines(text.slice(pos, next), info);
    if (m === null) return;
    fields(m);
    pos = line.lastIndex + 1; // past the newline; the next match starts there unless lines in between did not match
  }
}

/** Parses /proc/sysvipc/shm (see visitProcSysvipcShm). */
export function parseProcSysvipcShm(text: string): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  visitProcSysvipcShm(text, (f) => out.push(infoFromProcFields(f)), (s) => out.push(s));
  return out;
}

/** The general way: each line split on blanks, its fields placed as the regular expression's would be. */
function parseLines(text: string, info: (s: SegmentInfo) => void): void {
  const digits = (x: string | undefined) => (x !== undefined && /^[0-9]+$/.test(x) ? x : undefined);
  for (const l of text.split('\n')) {
    const f = l.trim().split(/\s+/);
    if (f.length < 14) continue;
    info(infoFromProcFields(['', ...f.slice(0, 14), digits(f[14]), digits(f[15])]));
  }
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
 * A /proc file as latin1 text. /proc files have no size, and readFileSync reads them 8 KiB at a time into buffers it
 * then joins; reading into one buffer took /proc/sysvipc/shm of 2000 segments from 8.8 to 5 ms here.
 */
function readProcText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20); // 6000 segments before it has to grow; untouched pages cost nothing
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 4);
        buf.copy(bigger);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) return buf.toString('latin1', 0, len);
      len += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** The text of /proc/sysvipc/shm, or null where it cannot be read (listSegments then asks the kernel). */
export function procSegmentsText(procPath = PROC_SYSVIPC_SHM): string | null {
  try {
    return readProcText(procPath);
  } catch {
    return null;
  }
}

/** Every segment, in the kernel's order. */
export function listSegments(opts: ListOptions = {}): SegmentInfo[] {
  const source = opts.source ?? 'auto';
  if (source !== 'kernel') {
    let text: string | null = null;
    try {
      text = readProcText(opts.procPath ?? PROC_SYSVIPC_SHM);
    } catch (e) {
      if (source === 'proc') throw e;
    }
    if (text !== null) return parseProcSysvipcShm(text);
  }
  return listFromKernel();
}

/** One segment's row from /proc/sysvipc/shm (for rss and swap), or null. */
export function procRow(id: number, procPath = PROC_SYSVIPC_SHM): SegmentInfo | null {
  const text = procSegmentsText(procPath);
  if (text === null) return null;
  try {
    return parseProcSysvipcShm(text).find((s) => s.id === id) ?? null;
  } catch {
    return null;
  }
}
