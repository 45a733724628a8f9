// Every segment on the system. Read from /proc/sysvipc/shm where it exists (one read; it lists every segment whatever
// its permissions), else from SHM_INFO and SHM_STAT_ANY over the kernel's indexes (SHM_STAT before Linux 4.17).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
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

/**
 * The line the kernel writes: 14 numbers, or 16 with rss and swap, separated by spaces. One regular expression over
 * the whole text reads such lines in V8's compiled regex engine: 2000 of them in ~6 ms where splitting each line
 * took ~17 ms (list --json runs this once, before V8 has optimised any of our code; issue 6).
 */
const LINE = /^ *(-?\d+) +(\d+) +([0-7]+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)(?: +(\d+) +(\d+))? *$/gm;

/**
 * Parses /proc/sysvipc/shm. Lines with fewer than 14 fields are skipped, as util-linux does; rss and swap are optional.
 * Lines of the kernel's shape take the fast way, any other line the general one; both read a line alike (a test
 * checks it on generated text).
 */
export function parseProcSysvipcShm(text: string): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  let pos = text.indexOf('\n') + 1; // skip the header
  if (pos === 0) return out;
  const line = new RegExp(LINE);
  line.lastIndex = pos;
  for (;;) {
    const m = line.exec(text);
    const next = m === null ? text.length : m.index;
    if (next > pos) parseLines(text.slice(pos, next), out);
    if (m === null) return out;
    const mode = parseInt(m[3] as string, 8);
    out.push({
      key: Number(m[1]) >>> 0,
      id: Number(m[2]),
      mode: mode & 0o777,
      dest: (mode & SHM_DEST) !== 0,
      locked: (mode & SHM_LOCKED) !== 0,
      size: BigInt(m[4] as string),
      cpid: Number(m[5]),
      lpid: Number(m[6]),
      nattch: Number(m[7]),
      uid: Number(m[8]),
      gid: Number(m[9]),
      cuid: Number(m[10]),
      cgid: Number(m[11]),
      atime: Number(m[12]),
      dtime: Number(m[13]),
      ctime: Number(m[14]),
      rss: m[15] === undefined ? null : BigInt(m[15]),
      swap: m[16] === undefined ? null : BigInt(m[16]),
    });
    pos = line.lastIndex + 1; // past the newline; the next match starts there unless lines in between did not match
  }
}

/** The general way: each line split on blanks. */
function parseLines(text: string, out: SegmentInfo[]): void {
  for (const l of text.split('\n')) {
    const f = l.trim().split(/\s+/);
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
    let buf = Buffer.allocUnsafe(1 << 16);
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
  try {
    return parseProcSysvipcShm(readFileSync(procPath, 'latin1')).find((s) => s.id === id) ?? null;
  } catch {
    return null;
  }
}
