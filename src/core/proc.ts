// /proc/sysvipc/shm, read and parsed: the text in one read, each line of the kernel's shape as a record that keeps
// the kernel's own digits (KernelLine), any other line parsed the general way. Internal to core: the library's
// getters (list.ts) hand out records, whichever source answered.
import { closeSync, openSync, readSync } from 'node:fs';
import { SHM_DEST, SHM_LOCKED } from '../sys/constants.js';
import type { SegmentInfo } from './types.js';

export const PROC_SYSVIPC_SHM = '/proc/sysvipc/shm';

/**
 * The line the kernel writes: 14 numbers, or 16 with rss and swap, separated by spaces, in canonical decimal (no
 * leading zeros; the perms in octal). One regular expression over the whole text reads such lines in V8's compiled
 * regex engine: 2000 of them in ~11 ms where splitting each line took ~17 ms (a JSON listing runs this once, before V8
 * has optimised any of our code; issue 6). Numbers kept as JavaScript numbers are at most 15 digits, so that their
 * text and the number read from it say the same; sizes are any length (BigInt).
 */
const N15 = '(0|[1-9]\\d{0,14})';
const BIG = '(0|[1-9]\\d*)';
const LINE = new RegExp(`^ *(-?(?:0|[1-9]\\d{0,14})) +${N15} +([0-7]{1,6}) +${BIG}${' +' + N15}${(' +' + N15).repeat(9)}(?: +${BIG} +${BIG})? *$`, 'gm');

/** Where each field is in the fields of a kernel-shaped line. */
const FIELD = {
  key: 1, id: 2, perms: 3, size: 4, cpid: 5, lpid: 6, nattch: 7, uid: 8, gid: 9, cuid: 10, cgid: 11,
  atime: 12, dtime: 13, ctime: 14, rss: 15, swap: 16,
} as const;

/** The integer fields of a record, whose decimal digits integerText gives. */
export type IntegerField = 'id' | 'size' | 'uid' | 'gid' | 'cuid' | 'cgid' | 'cpid' | 'lpid' | 'nattch' | 'atime' | 'dtime' | 'ctime' | 'rss' | 'swap';

type Fields = ArrayLike<string | undefined>;

const big = (digits: string | undefined) => (digits === undefined ? null : BigInt(digits));

/**
 * A segment's record from a line of the kernel's shape. Its fields are getters over the kernel's text, so that what
 * is written out again as decimal (JSON) never becomes a number first: integerText gives those digits.
 */
class KernelLine implements SegmentInfo {
  readonly #f: Fields;
  readonly #perms: number;
  constructor(f: Fields) {
    this.#f = f;
    this.#perms = parseInt(f[FIELD.perms] as string, 8);
  }
  digits(field: IntegerField): string | undefined {
    return this.#f[FIELD[field]];
  }
  get id(): number { return Number(this.#f[FIELD.id]); }
  get key(): number { return Number(this.#f[FIELD.key]) >>> 0; }
  get mode(): number { return this.#perms & 0o777; }
  get dest(): boolean { return (this.#perms & SHM_DEST) !== 0; }
  get locked(): boolean { return (this.#perms & SHM_LOCKED) !== 0; }
  get size(): bigint { return BigInt(this.#f[FIELD.size] as string); }
  get uid(): number { return Number(this.#f[FIELD.uid]); }
  get gid(): number { return Number(this.#f[FIELD.gid]); }
  get cuid(): number { return Number(this.#f[FIELD.cuid]); }
  get cgid(): number { return Number(this.#f[FIELD.cgid]); }
  get cpid(): number { return Number(this.#f[FIELD.cpid]); }
  get lpid(): number { return Number(this.#f[FIELD.lpid]); }
  get nattch(): number { return Number(this.#f[FIELD.nattch]); }
  get atime(): number { return Number(this.#f[FIELD.atime]); }
  get dtime(): number { return Number(this.#f[FIELD.dtime]); }
  get ctime(): number { return Number(this.#f[FIELD.ctime]); }
  get rss(): bigint | null { return big(this.#f[FIELD.rss]); }
  get swap(): bigint | null { return big(this.#f[FIELD.swap]); }
}

/**
 * An integer field of a record in decimal: the kernel's own digits for a record read from its line, else the number
 * printed. The same text either way (the kernel's decimal is canonical); rss and swap are 'null' where unknown.
 */
export function integerText(s: SegmentInfo, field: IntegerField): string {
  if (s instanceof KernelLine) return s.digits(field) ?? 'null';
  const v = s[field];
  return v === null ? 'null' : String(v);
}

/** A plain record of a kernel-shaped line's fields. */
function infoFromFields(f: Fields): SegmentInfo {
  const mode = parseInt(f[3] as string, 8);
  return {
    key: Number(f[1]) >>> 0, id: Number(f[2]), mode: mode & 0o777, dest: (mode & SHM_DEST) !== 0, locked: (mode & SHM_LOCKED) !== 0,
    size: BigInt(f[4] as string), cpid: Number(f[5]), lpid: Number(f[6]), nattch: Number(f[7]), uid: Number(f[8]), gid: Number(f[9]),
    cuid: Number(f[10]), cgid: Number(f[11]), atime: Number(f[12]), dtime: Number(f[13]), ctime: Number(f[14]),
    rss: f[15] === undefined ? null : BigInt(f[15]), swap: f[16] === undefined ? null : BigInt(f[16]),
  };
}

/**
 * Every segment in /proc/sysvipc/shm text, in order: a line of the kernel's shape as make(its fields), any other line
 * parsed the general way. Lines with fewer than 14 fields are skipped, as util-linux does.
 */
function visitLines(text: string, make: (f: Fields) => SegmentInfo, visit: (s: SegmentInfo) => void): void {
  const pos = text.indexOf('\n') + 1; // skip the header
  if (pos === 0 || pos === text.length) return; // no segments: not even the regular expression is compiled
  visitBody(text.slice(pos), make, visit);
}

/** The lines after the header, whole lines only (the last one may lack its newline). */
function visitBody(text: string, make: (f: Fields) => SegmentInfo, visit: (s: SegmentInfo) => void): void {
  const line = new RegExp(LINE);
  let pos = 0;
  for (;;) {
    const m = line.exec(text);
    const next = m === null ? text.length : m.index;
    if (next > pos) parseLines(text.slice(pos, next), visit);
    if (m === null) return;
    visit(make(m));
    pos = line.lastIndex + 1; // past the newline; the next match starts there unless lines in between did not match
  }
}

/**
 * /proc/sysvipc/shm text that comes in pieces, visited a whole line at a time: a listing of 30000 segments (4 MB)
 * then reads through one 64 KiB buffer, and never holds the file, as a buffer or as a string. On this VM a fresh page
 * costs ~15-20 us to touch, so the 4 MB buffer grown twice, and its 4 MB string, were most of what a line cost.
 */
export class SegmentLines {
  #carry = '';
  #header = true;
  readonly #make: (f: Fields) => SegmentInfo;
  readonly #visit: (s: SegmentInfo) => void;
  constructor(kind: 'kernel' | 'plain', visit: (s: SegmentInfo) => void) {
    this.#make = kind === 'kernel' ? (f) => new KernelLine(f) : infoFromFields;
    this.#visit = visit;
  }
  push(piece: string): void {
    let text = this.#carry + piece;
    if (this.#header) {
      const nl = text.indexOf('\n');
      if (nl < 0) {
        this.#carry = text;
        return;
      }
      this.#header = false;
      text = text.slice(nl + 1);
    }
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      this.#carry = text;
      return;
    }
    visitBody(text.slice(0, last + 1), this.#make, this.#visit);
    this.#carry = text.slice(last + 1);
  }
  /** The last line, if the text did not end with a newline. */
  end(): void {
    if (!this.#header && this.#carry !== '') visitBody(this.#carry, this.#make, this.#visit);
    this.#carry = '';
  }
}

/**
 * The segments of a /proc/sysvipc/shm file, read 64 KiB at a time and visited as they come; false where the file
 * cannot be opened (the caller then asks the kernel).
 */
export function visitProcFile(path: string, kind: 'kernel' | 'plain', visit: (s: SegmentInfo) => void): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const lines = new SegmentLines(kind, visit);
    const buf = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      lines.push(buf.toString('latin1', 0, n));
    }
    lines.end();
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The general way: each line split on blanks, its fields placed as the regular expression's would be. */
function parseLines(text: string, visit: (s: SegmentInfo) => void): void {
  const digits = (x: string | undefined) => (x !== undefined && /^[0-9]+$/.test(x) ? x : undefined);
  for (const l of text.split('\n')) {
    const f = l.trim().split(/\s+/);
    if (f.length < 14) continue;
    visit(infoFromFields(['', ...f.slice(0, 14), digits(f[14]), digits(f[15])]));
  }
}

/** /proc/sysvipc/shm text as plain records. */
export function parseProcSysvipcShm(text: string): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  visitLines(text, infoFromFields, (s) => out.push(s));
  return out;
}

/** /proc/sysvipc/shm text as records that keep the kernel's digits (see integerText), visited in order. */
export function visitProcSysvipcShm(text: string, visit: (s: SegmentInfo) => void): void {
  visitLines(text, (f) => new KernelLine(f), visit);
}

/**
 * A /proc file as latin1 text. /proc files have no size, and readFileSync reads them 8 KiB at a time into buffers it
 * then joins; reading into one buffer took /proc/sysvipc/shm of 2000 segments from 8.8 to 5 ms here.
 */
export function readProcText(path: string): string {
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
