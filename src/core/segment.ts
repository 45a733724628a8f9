// Segments: create, open, stat, remove, attach. An Attachment owns the only view of attached memory and
// refuses every access after detach(), so no caller can touch unmapped memory (which would be a SIGSEGV).
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, fstatSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, SHM_DEST, SHM_LOCKED, SHM_RDONLY } from '../sys/constants.js';
import { InputError, OperationError, SysError, cannotSplice, mustWait, opError } from './errors.js';
import { formatKey } from './parse.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export const DEFAULT_MODE = 0o644;

const MAX_LENGTH = bufferConstants.MAX_LENGTH;

export function infoFromDs(id: number, ds: sys.ShmidDs): SegmentInfo {
  return {
    id, key: ds.key >>> 0, mode: ds.mode & 0o777, dest: (ds.mode & SHM_DEST) !== 0, locked: (ds.mode & SHM_LOCKED) !== 0,
    size: ds.segsz, uid: ds.uid, gid: ds.gid, cuid: ds.cuid, cgid: ds.cgid, cpid: ds.cpid, lpid: ds.lpid,
    nattch: Number(ds.nattch), atime: Number(ds.atime), dtime: Number(ds.dtime), ctime: Number(ds.ctime), rss: null, swap: null,
  };
}

export interface CreateOptions {
  /** A key, or 'private' for IPC_PRIVATE, or undefined for a random unused key. */
  key?: number | 'private';
  size: bigint;
  mode?: number;
  /** Fail with EEXIST when the key is taken, instead of opening the existing segment. */
  exclusive?: boolean;
}

export interface CreateResult {
  id: number;
  key: number;
  size: bigint;
  mode: number;
  /** False when the key already had a segment and shmget opened it. */
  created: boolean;
  info: SegmentInfo;
}

function randomKey(): number {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return b[0] ?? 1;
}

/** shmget with IPC_CREAT, explaining the usual failures (EEXIST, EINVAL on size, ENOSPC, EACCES). */
export function createSegment(opts: CreateOptions): CreateResult {
  const mode = opts.mode ?? DEFAULT_MODE;
  if (opts.size < 1n) throw new InputError('size must be at least 1 byte', 'the kernel refuses empty segments (SHMMIN is 1)');
  if (opts.key === undefined) {
    // A random unused key, as ipcmk picks one; unlike ipcmk, never silently reuse a taken key.
    for (let attempt = 0; ; attempt++) {
      const key = randomKey();
      if (key === IPC_PRIVATE) continue;
      try {
        return made(sys.shmget(key, opts.size, mode | IPC_CREAT | IPC_EXCL), key, true);
      } catch (e) {
        if (e instanceof SysError && e.code === 'EEXIST' && attempt < 100) continue;
        throw explainCreate(e, key, opts.size);
      }
    }
  }
  const key = opts.key === 'private' ? IPC_PRIVATE : opts.key;
  // Try to create it first (IPC_EXCL), so that we know whether we made it; unless exclusive, a taken key then
  // opens the existing segment as shmget(IPC_CREAT) would, and says so (created: false).
  for (let attempt = 0; ; attempt++) {
    try {
      return made(sys.shmget(key, opts.size, mode | IPC_CREAT | IPC_EXCL), key, true);
    } catch (e) {
      if (!(e instanceof SysError) || e.code !== 'EEXIST' || opts.exclusive) throw explainCreate(e, key, opts.size);
    }
    try {
      return made(sys.shmget(key, opts.size, mode), key, false);
    } catch (e) {
      // Removed between the two calls: try again.
      if (e instanceof SysError && e.code === 'ENOENT' && attempt < 10) continue;
      throw explainCreate(e, key, opts.size);
    }
  }
}

/**
 * The result for the segment shmget gave, as the kernel records it (readSegment: a mode without the owner's read bit
 * does not hide it from its creator). Should even that fail, a segment this call made is removed before the error
 * goes on: a create that reports failure leaves nothing behind.
 */
function made(id: number, key: number, created: boolean): CreateResult {
  try {
    const info = readSegment(id);
    return { id, key, size: info.size, mode: info.mode, created, info };
  } catch (e) {
    if (created) undoCreate(id);
    throw e;
  }
}

/**
 * Takes back a segment that create made but could not report (its id could not be printed, say): removes it if
 * nobody has attached it since. Returns false, removing nothing, where someone has: then the caller names it.
 */
export function undoCreate(id: number): boolean {
  try {
    if (readSegment(id).nattch > 0) return false;
    sys.shmRmid(id);
    return true;
  } catch {
    return true; // gone already
  }
}

function existing(key: number): SegmentInfo | null {
  try {
    const id = sys.shmget(key, 0, 0);
    return statSegment({ id });
  } catch {
    return null;
  }
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

function explainCreate(e: unknown, key: number, size: bigint): unknown {
  if (!(e instanceof SysError)) return e;
  const k = formatKey(key);
  switch (e.code) {
    case 'EEXIST': {
      const holder = existing(key);
      return opError(`key ${k} is taken`, e, {
        fact: { kind: 'key-taken', key, holder },
        hint: holder ? `segment ${holder.id} has it (${holder.size} bytes, mode ${octal(holder.mode)})` : 'a segment has it',
      });
    }
    case 'EINVAL': {
      const holder = key === IPC_PRIVATE ? null : existing(key);
      if (holder && holder.size < size) {
        return opError(`key ${k} exists with ${holder.size} bytes and you asked for ${size}`, e, {
          fact: { kind: 'key-smaller', key, holder }, hint: `ask for ${holder.size} bytes or fewer, or remove segment ${holder.id} first`,
        });
      }
      const limits = sys.ipcInfo();
      if (size > limits.shmmax) {
        return opError(`size ${size} is above the kernel's limit (shmmax = ${limits.shmmax})`, e, { fact: { kind: 'above-shmmax', shmmax: limits.shmmax } });
      }
      return opError(`cannot create a segment of ${size} bytes under key ${k}`, e);
    }
    case 'ENOSPC': {
      const limits = sys.ipcInfo();
      return opError(`no room for another segment (shmmni = ${limits.shmmni} segments, or shmall pages are used up)`, e, {
        fact: { kind: 'no-room', shmmni: limits.shmmni }, hint: 'remove segments nobody uses, or raise kernel.shmmni / kernel.shmall',
      });
    }
    case 'ENOMEM':
      return opError(`not enough memory for ${size} bytes`, e);
    case 'EACCES':
      return opError(`key ${k} exists and you may not open it`, e, { fact: { kind: 'key-denied', key }, hint: 'its mode does not let you read and write it' });
    case 'EPERM':
      return opError('not permitted (SHM_HUGETLB needs CAP_IPC_LOCK)', e);
    default:
      return opError(`cannot create a segment under key ${k}`, e);
  }
}

/** The id behind a target: an id is taken as given, a key is looked up with shmget(key, 0, 0). */
export function resolveId(target: SegmentTarget): number {
  if ('id' in target) return target.id;
  if (target.key === IPC_PRIVATE) {
    throw new InputError('key 0x00000000 is IPC_PRIVATE: private and removed segments have no key', 'name the segment by its id', { kind: 'private-key' });
  }
  try {
    return sys.shmget(target.key, 0, 0);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    const k = formatKey(target.key);
    if (e.code === 'ENOENT') throw opError(`no segment has key ${k}`, e, { fact: { kind: 'no-key', key: target.key } });
    if (e.code === 'EACCES') throw opError(`key ${k}: permission denied`, e);
    if (e.code === 'EIDRM') throw opError(`key ${k}: the segment was removed`, e);
    throw opError(`key ${k}`, e);
  }
}

function explainId(operation: string, id: number, e: SysError): OperationError {
  switch (e.code) {
    case 'EINVAL':
    case 'EIDRM':
      return opError(`no segment has id ${id}`, e, { operation, fact: { kind: 'no-id', id }, hint: 'it may have been removed' });
    case 'EACCES':
      return opError(`permission denied for segment ${id}`, e, { operation, fact: { kind: 'id-denied', id }, hint: 'its mode does not give you that access' });
    case 'EPERM':
      return opError(`not permitted on segment ${id}`, e, { operation, hint: 'only its owner, its creator or root may do that' });
    default:
      return opError(`${operation} segment ${id}`, e);
  }
}

/** IPC_STAT: needs read permission, as ipcs -i does. */
export function statSegment(target: SegmentTarget): SegmentInfo {
  const id = resolveId(target);
  try {
    return infoFromDs(id, sys.shmStat(id));
  } catch (e) {
    if (e instanceof SysError) throw explainId('stat', id, e);
    throw e;
  }
}

/**
 * One segment's record by id, for anyone who may see it: IPC_STAT, or where that needs a read permission the caller
 * lacks (EACCES, as for a segment of mode 0 even to its owner), SHM_STAT_ANY at the id's index (Linux 4.17 and
 * later), which needs none, as /proc/sysvipc/shm does not. Throws as statSegment does when there is no such segment.
 */
export function readSegment(id: number): SegmentInfo {
  try {
    return infoFromDs(id, sys.shmStat(id));
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EACCES') {
      const any = statAnyById(id);
      if (any) return any;
    }
    throw explainId('stat', id, e);
  }
}

/** SHM_STAT_ANY of the index an id names (the low 15 bits; 24 with the kernel's ipcmni_extend); null if not that segment. */
function statAnyById(id: number): SegmentInfo | null {
  for (const mask of [0x7fff, 0xffffff]) {
    try {
      const r = sys.shmStatIndex(id & mask, true);
      if (r.id === id) return infoFromDs(id, r.ds);
    } catch {
      // not there, or a kernel without SHM_STAT_ANY
    }
  }
  return null;
}

/** IPC_RMID. An attached segment is marked dest and goes at its last detach. */
export function removeSegment(target: SegmentTarget): number {
  const id = resolveId(target);
  try {
    sys.shmRmid(id);
  } catch (e) {
    if (e instanceof SysError) throw explainId('remove', id, e);
    throw e;
  }
  return id;
}

/** SHM_LOCK / SHM_UNLOCK (needs CAP_IPC_LOCK or ownership within RLIMIT_MEMLOCK). */
export function lockSegment(target: SegmentTarget, lock: boolean): void {
  const id = resolveId(target);
  try {
    sys.shmLock(id, lock);
  } catch (e) {
    if (e instanceof SysError) throw explainId(lock ? 'lock' : 'unlock', id, e);
    throw e;
  }
}

export function ftokKey(path: string, proj: number): number {
  try {
    return sys.ftok(path, proj) >>> 0;
  } catch (e) {
    if (e instanceof SysError) {
      throw new InputError(`ftok: cannot use '${path}': ${e.code} (${e.description})`, 'ftok needs an existing file or directory');
    }
    throw e;
  }
}

/** Above this, bulk I/O maps the pages in one madvise first: a page fault per 4 KiB page costs more than the copy. */
const POPULATE_FROM = 1 << 20;
/**
 * Bulk read(2)/write(2) go a MiB at a time: measured here, one write of 1 GiB into tmpfs took 0.8 to 3 s and the
 * same in 1 MiB writes 0.23 s.
 */
const IO_CHUNK = 1 << 20;
/**
 * Bulk transfers of at least this many bytes go through splice(2) where they can (issue 6): the kernel then copies
 * page to page through its own mapping of memory. Copying through our 4 KiB page mapping of the segment was measured
 * at 2 to 3 times slower on a virtual machine (a TLB miss per page costs a nested page walk there).
 */
const SPLICE_FROM = 1 << 20;
/** The capacity asked for the pipe that bulk transfers splice through (the unprivileged maximum by default). */
const PIPE_WANT = 1 << 20;

export interface AttachOptions {
  readonly?: boolean;
}

/**
 * The longest view of attached memory ever made (1 GiB). koffi aborts the whole process on a view of more than 2^32
 * bytes, so every touch of the mapping (read, write, fill, search) goes through views of at most this many bytes.
 */
export const VIEW_MAX = 1 << 30;

/** The bytes of [offset, offset+length) of an attachment, for core's own hot loops; see memoryOf. */
let internalView: (a: Attachment, offset: number, length: number) => Uint8Array;

/**
 * An attached segment. Every read and write is bounds-checked against the segment's size before memory is touched,
 * and nothing can be read or written once detach() has run.
 *
 * Memory safety is a property of this class, not of its callers: the size, the permission and the address live in
 * private fields behind getters (an assignment in plain JavaScript cannot widen a bound or a permission, and the
 * instance is frozen), and no view of the mapping is handed out: read() copies, write() and fill() copy in, and the
 * only views are core's own (memoryOf), used inside one call and never kept past detach().
 */
export class Attachment {
  readonly #id: number;
  readonly #size: number;
  readonly #readonly: boolean;
  readonly #addr: bigint;
  #attached = true;

  static {
    internalView = (a, offset, length) => {
      a.#check(offset, length, false);
      if (length > VIEW_MAX) throw new RangeError(`a view of ${length} bytes is longer than ${VIEW_MAX}`);
      return new Uint8Array(sys.view(a.#addr + BigInt(offset), length));
    };
  }

  private constructor(id: number, addr: bigint, size: number, readonly: boolean) {
    this.#id = id;
    this.#addr = addr;
    this.#size = size;
    this.#readonly = readonly;
    Object.freeze(this);
  }

  /** The segment's id. */
  get id(): number {
    return this.#id;
  }

  /** The segment's size in bytes, as IPC_STAT gave it when it was attached. */
  get size(): number {
    return this.#size;
  }

  /** Attached with SHM_RDONLY: every write is refused. */
  get readonly(): boolean {
    return this.#readonly;
  }

  static attach(target: SegmentTarget, opts: AttachOptions = {}): Attachment {
    const id = resolveId(target);
    const readonly = opts.readonly ?? false;
    let addr: bigint;
    try {
      addr = sys.shmat(id, readonly ? SHM_RDONLY : 0);
    } catch (e) {
      if (e instanceof SysError) {
        if (e.code === 'EACCES' && !readonly) {
          throw opError(`permission denied for segment ${id}`, e, {
            operation: 'attach', fact: { kind: 'write-denied', id }, hint: 'writing needs read and write permission on the segment',
          });
        }
        throw explainId('attach', id, e);
      }
      throw e;
    }
    let size: bigint;
    try {
      size = sys.shmStat(id).segsz;
    } catch (e) {
      sys.shmdt(addr);
      if (e instanceof SysError) throw explainId('stat', id, e);
      throw e;
    }
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
      sys.shmdt(addr);
      throw new OperationError(`segment ${id} is too large to address (${size} bytes)`);
    }
    return new Attachment(id, addr, Number(size), readonly);
  }

  get attached(): boolean {
    return this.#attached;
  }

  #check(offset: number, length: number, forWrite: boolean): void {
    if (!this.#attached) throw new OperationError(`segment ${this.#id} is detached`);
    if (forWrite && this.#readonly) throw new OperationError(`segment ${this.#id} is attached read-only`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new InputError(`offset ${offset} is not a valid offset`);
    if (!Number.isSafeInteger(length) || length < 0) throw new InputError(`length ${length} is not a valid length`);
    if (offset > this.#size) throw new InputError(`offset ${offset} is past the end of segment ${this.#id} (${this.#size} bytes)`);
    if (length > this.#size - offset) {
      throw new InputError(`${length} bytes at offset ${offset} do not fit in segment ${this.#id} (${this.#size} bytes; ${this.#size - offset} left from that offset)`);
    }
  }

  /** Calls fn over [offset, offset+length) in views of at most VIEW_MAX bytes; `done` is how far the earlier views reached. */
  #eachView(offset: number, length: number, fn: (view: Uint8Array, done: number) => void): void {
    for (let done = 0; done < length;) {
      const n = Math.min(VIEW_MAX, length - done);
      fn(new Uint8Array(sys.view(this.#addr + BigInt(offset + done), n)), done);
      done += n;
    }
  }

  /**
   * Copies length bytes from offset out of the segment. One Buffer holds at most buffer.constants.MAX_LENGTH bytes
   * (4 GiB on Node 20): read a larger segment in parts, or with writeToFd.
   */
  read(offset: number, length: number): Buffer {
    this.#check(offset, length, false);
    if (length > MAX_LENGTH) {
      throw new InputError(`${length} bytes do not fit in one Buffer (at most ${MAX_LENGTH} bytes): read them in parts, or to a file descriptor`);
    }
    const out = Buffer.allocUnsafe(length);
    this.#eachView(offset, length, (view, done) => {
      out.set(view, done);
    });
    return out;
  }

  /** Copies data into the segment at offset; refused whole, before a byte is written, if it does not fit. */
  write(offset: number, data: Uint8Array): void {
    this.#check(offset, data.length, true);
    this.#eachView(offset, data.length, (view, done) => {
      view.set(data.subarray(done, done + view.length));
    });
  }

  fill(offset: number, length: number, byte: number): void {
    this.#check(offset, length, true);
    this.#eachView(offset, length, (view) => {
      view.fill(byte);
    });
  }

  /** Index of the first NUL at or after offset within length, or -1. */
  indexOfNul(offset: number, length: number): number {
    this.#check(offset, length, false);
    let found = -1;
    for (let at = offset; at < offset + length && found < 0; at += NUL_CHUNK) {
      const n = Math.min(NUL_CHUNK, offset + length - at);
      const i = new Uint8Array(sys.view(this.#addr + BigInt(at), n)).indexOf(0);
      if (i >= 0) found = at + i;
    }
    return found;
  }

  /**
   * write(2)s length bytes from offset straight to fd, with no copy in between. A non-blocking fd is waited on with
   * poll(2). Returns the bytes written.
   */
  writeToFd(fd: number, offset: number, length: number): number {
    this.#check(offset, length, false);
    let done = length >= SPLICE_FROM && isRegularFile(fd) ? this.#spliceOut(fd, offset, length) : 0;
    if (length - done >= POPULATE_FROM) sys.populate(this.#addr + BigInt(offset + done), length - done, false);
    while (done < length) {
      try {
        done += sys.writeFrom(fd, this.#addr + BigInt(offset + done), Math.min(length - done, IO_CHUNK));
      } catch (e) {
        if (mustWait(e)) {
          sys.waitFd(fd, 'out');
          continue;
        }
        throw e;
      }
    }
    return done;
  }

  /**
   * read(2)s from fd straight into the segment at offset until end of file or until maxLength bytes. If the input holds
   * more than maxLength bytes, throws InputError after filling maxLength (the caller checks sizes first where it can).
   * Returns the bytes read.
   */
  readFromFd(fd: number, offset: number, maxLength: number): number {
    this.#check(offset, maxLength, true);
    let done = 0;
    if (maxLength >= SPLICE_FROM) {
      const spliced = this.#spliceIn(fd, offset, maxLength);
      if (spliced.eof) return spliced.done;
      done = spliced.done;
    }
    if (maxLength - done >= POPULATE_FROM) sys.populate(this.#addr + BigInt(offset + done), maxLength - done, true);
    for (;;) {
      const room = maxLength - done;
      let n: number;
      try {
        if (room === 0) {
          // Full: one more byte of input means the data did not fit.
          const probe = Buffer.alloc(1);
          n = readProbe(fd, probe);
          if (n > 0) throw new InputError(`the input is larger than the ${maxLength} bytes left in segment ${this.#id} from offset ${offset}; those ${maxLength} bytes were written`);
          return done;
        }
        n = sys.readInto(fd, this.#addr + BigInt(offset + done), Math.min(room, IO_CHUNK));
      } catch (e) {
        if (mustWait(e)) {
          sys.waitFd(fd, 'in');
          continue;
        }
        throw e;
      }
      if (n === 0) return done;
      done += n;
    }
  }

  /**
   * writeToFd for a regular file: vmsplice(2) lends the segment's pages to a pipe, splice(2) copies them into the file.
   * Only for regular files: a pipe or socket reader would get references to the live pages, not a copy made now.
   * Returns the bytes written; fewer than length where splice cannot go on, for write(2) to finish.
   */
  #spliceOut(fd: number, offset: number, length: number): number {
    const pipe = sys.splicePipe(PIPE_WANT);
    let done = 0;
    try {
      sys.populate(this.#addr + BigInt(offset), length, false);
      while (done < length) {
        const lent = sys.vmspliceFrom(pipe.w, this.#addr + BigInt(offset + done), Math.min(length - done, pipe.capacity));
        for (let moved = 0; moved < lent;) {
          const n = sys.spliceFd(pipe.r, null, fd, null, lent - moved);
          moved += n;
          done += n;
        }
      }
    } catch (e) {
      if (!cannotSplice(e)) throw e;
    } finally {
      // Drops the pipe's references to the segment's pages with it, whatever was left in it.
      closeSync(pipe.r);
      closeSync(pipe.w);
    }
    return done;
  }

  /**
   * readFromFd through the file that holds the segment (where the kernel lets us open it: see sys.openMappedFile):
   * splice(2) moves the input's pages to a pipe and from it into that file, with no copy through our mapping.
   * Returns the bytes read and whether the input ended; done stays below maxLength, without eof, where splice cannot
   * go on (no permission, a TTY), for read(2) to finish.
   */
  #spliceIn(fd: number, offset: number, maxLength: number): { done: number; eof: boolean } {
    const file = sys.openMappedFile(this.#addr, this.#size);
    if (file === null) return { done: 0, eof: false };
    const pipe = sys.splicePipe(PIPE_WANT);
    const at = Buffer.alloc(8); // the file offset splice writes at, advanced by the kernel
    let done = 0;
    try {
      while (done < maxLength) {
        let n: number;
        try {
          n = sys.spliceFd(fd, null, pipe.w, null, Math.min(maxLength - done, pipe.capacity));
        } catch (e) {
          if (mustWait(e)) {
            sys.waitFd(fd, 'in');
            continue;
          }
          // Nothing consumed yet: read(2) can do it all.
          if (done === 0 && cannotSplice(e)) return { done, eof: false };
          throw e;
        }
        if (n === 0) return { done, eof: true };
        at.writeBigInt64LE(BigInt(offset + done));
        // What the pipe holds is consumed from the input: it must all reach the segment, or the error is thrown.
        for (let moved = 0; moved < n;) moved += sys.spliceFd(pipe.r, null, file, at, n - moved);
        done += n;
      }
    } finally {
      closeSync(pipe.r);
      closeSync(pipe.w);
      closeSync(file);
    }
    return { done, eof: false };
  }

  /** shmdt. Idempotent; after it, every access throws instead of touching unmapped memory. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    sys.shmdt(this.#addr);
  }
}

/** How much of the segment indexOfNul looks at in one view: a NUL near the start is found without mapping more. */
const NUL_CHUNK = 1 << 20;

/**
 * A view of [offset, offset+length) of attached memory (bounds-checked, at most VIEW_MAX bytes), for core's own hot
 * loops (the writer and reader of the seed's protocol). Not part of the library's API (src/index.ts does not export
 * it): a view kept past detach() would be a SIGSEGV when touched, so only code that drops it before detaching may
 * have one.
 */
export function memoryOf(a: Attachment, offset: number, length: number): Uint8Array {
  return internalView(a, offset, length);
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

function readProbe(fd: number, b: Buffer): number {
  const addr = sys.addressOf(b);
  return sys.readInto(fd, addr, b.length);
}

/**
 * A segment by its id: the library's handle. Segment.create makes one (shmget with IPC_CREAT), Segment.open finds
 * one by key or id; attach() maps it (an Attachment, bounds-checked, unusable after detach), stat() is IPC_STAT,
 * remove() is IPC_RMID.
 */
export class Segment {
  readonly id: number;
  /** False when create() found the key taken and opened the existing segment. */
  readonly created: boolean;

  private constructor(id: number, created: boolean) {
    this.id = id;
    this.created = created;
    Object.freeze(this);
  }

  static create(opts: CreateOptions): Segment {
    const r = createSegment(opts);
    return new Segment(r.id, r.created);
  }

  /** The segment under a key (shmget(key, 0, 0)) or with an id; throws OperationError if there is none. */
  static open(target: SegmentTarget): Segment {
    const id = resolveId(target);
    statSegment({ id });
    return new Segment(id, false);
  }

  stat(): SegmentInfo {
    return statSegment({ id: this.id });
  }

  attach(opts: AttachOptions = {}): Attachment {
    return Attachment.attach({ id: this.id }, opts);
  }

  remove(): void {
    removeSegment({ id: this.id });
  }

  lock(lock = true): void {
    lockSegment({ id: this.id }, lock);
  }
}
