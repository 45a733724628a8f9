// An attached segment. Every read and write is bounds-checked against the segment's size before memory is touched,
// and nothing can be read or written once detach() has run: no caller can touch unmapped memory (a SIGSEGV).
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, readSync, writeSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { SHM_EXEC, SHM_RDONLY } from '../sys/constants.js';
import * as bulk from './bulk.js';
import { POPULATE_FROM } from './bulk.js';
import { explainId, resolveId } from './control.js';
import { InputError, OperationError, SysError, opError } from './errors.js';
import type { SegmentTarget } from './types.js';

const MAX_LENGTH = bufferConstants.MAX_LENGTH;

/**
 * How to attach. The address is the kernel's choice: shmaddr, SHM_RND and SHM_REMAP are left out, as a process
 * that maps a segment for a call or a command has nothing to place at a fixed address.
 */
export interface AttachOptions {
  readonly?: boolean;
  /** SHM_EXEC: the mapping may be executed (PROT_EXEC), for code shared between processes. */
  exec?: boolean;
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
  /** The segment's shmem file, for copies of a MiB or more (see #file()); undefined until asked for, null if refused. */
  #fileFd: number | null | undefined = undefined;
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
      addr = sys.shmat(id, (readonly ? SHM_RDONLY : 0) | (opts.exec ? SHM_EXEC : 0));
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

  /**
   * Where the segment is mapped in this process (shmat's answer), for matching it in /proc/self/maps or handing it
   * to native code; null once detached. A number only: nothing here reads or writes through it.
   */
  get address(): bigint | null {
    return this.#attached ? this.#addr : null;
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
  #eachView(offset: number, length: number, fn: (view: Uint8Array, done: number) => void, forWrite = false): void {
    // A page fault per 4 KiB page of our mapping cost ~18 us here: 1.2 s of a 256 MiB dump. One madvise maps them.
    if (length >= POPULATE_FROM) sys.populate(this.#addr + BigInt(offset), length, forWrite && !this.#readonly);
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
    this.#copyOut(offset, out);
    return out;
  }

  /** Copies target.length bytes from offset into target (a buffer the caller reuses), bounds-checked as read is. */
  readInto(offset: number, target: Uint8Array): Uint8Array {
    this.#check(offset, target.length, false);
    this.#copyOut(offset, target);
    return target;
  }

  /**
   * The segment's own shmem file (sys.openMappedFile: it needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE), opened on
   * the first copy of a MiB or more, for this attachment's copies and bulk transfers alike, and closed at detach.
   * pread(2)/pwrite(2) on it let the kernel copy page cache to and from our buffer: 1 GiB read in 0.17-0.21 s here,
   * against 1.1-1.3 s through our 4 KiB mapping with its pages mapped (a TLB miss per page under nested paging).
   * null where it cannot be opened: the mapping is used.
   */
  #file(): number | null {
    if (this.#fileFd === undefined) this.#fileFd = sys.openMappedFile(this.#addr, this.#size, !this.#readonly);
    return this.#fileFd;
  }

  /** What bulk transfers work on: the mapping, and the file the attachment keeps. */
  #mapping(): bulk.Mapping {
    return { id: this.#id, addr: this.#addr, size: this.#size, file: () => this.#file() };
  }

  /** Gives up the file for the mapping, for good. */
  #noFile(): void {
    if (typeof this.#fileFd === 'number') closeSync(this.#fileFd);
    this.#fileFd = null;
  }

  /** [offset, offset + target.length) into target, checked by the caller. */
  #copyOut(offset: number, target: Uint8Array): void {
    let done = 0;
    const file = target.length >= POPULATE_FROM ? this.#file() : null;
    if (file !== null) {
      try {
        for (let n = 1; done < target.length && n > 0; done += n) n = readSync(file, target, done, target.length - done, offset + done);
      } catch {
        this.#noFile(); // a file that refuses the call: the mapping does the rest
      }
    }
    if (done < target.length) {
      this.#eachView(offset + done, target.length - done, (view, at) => {
        target.set(view, done + at);
      });
    }
  }

  /** Copies data into the segment at offset; refused whole, before a byte is written, if it does not fit. */
  write(offset: number, data: Uint8Array): void {
    this.#check(offset, data.length, true);
    const file = data.length >= POPULATE_FROM ? this.#file() : null;
    if (file !== null) {
      let done = 0;
      try {
        for (let n = 1; done < data.length && n > 0; done += n) n = writeSync(file, data, done, data.length - done, offset + done);
      } catch {
        this.#noFile(); // a file that refuses the call: the mapping does the rest
      }
      if (done === data.length) return;
      data = data.subarray(done);
      offset += done;
    }
    this.#eachView(offset, data.length, (view, done) => {
      view.set(data.subarray(done, done + view.length));
    }, true);
  }

  fill(offset: number, length: number, byte: number): void {
    this.#check(offset, length, true);
    this.#eachView(offset, length, (view) => {
      view.fill(byte);
    }, true);
  }

  /** Index of the first NUL at or after offset within length, or -1. */
  indexOfNul(offset: number, length: number): number {
    this.#check(offset, length, false);
    let found = -1;
    for (let at = offset; at < offset + length && found < 0; at += NUL_CHUNK) {
      const n = Math.min(NUL_CHUNK, offset + length - at);
      // Each view's pages mapped in one madvise, and only those searched: a NUL near the start maps no more.
      if (n >= POPULATE_FROM) sys.populate(this.#addr + BigInt(at), n, false);
      // Buffer's indexOf of a byte is memchr(3); a Uint8Array's is a loop, ~3 times slower here.
      const i = Buffer.from(sys.view(this.#addr + BigInt(at), n)).indexOf(0);
      if (i >= 0) found = at + i;
    }
    return found;
  }

  /**
   * write(2)s length bytes from offset straight to fd, with no copy in between (splice(2) to a regular file). A
   * non-blocking fd is waited on with poll(2). Returns the bytes written.
   */
  writeToFd(fd: number, offset: number, length: number): number {
    this.#check(offset, length, false);
    return bulk.writeToFd(this.#mapping(), fd, offset, length);
  }

  /**
   * read(2)s from fd straight into the segment at offset until end of file or until maxLength bytes. If the input holds
   * more than maxLength bytes, throws InputError after filling maxLength (the caller checks sizes first where it can).
   * Returns the bytes read.
   */
  readFromFd(fd: number, offset: number, maxLength: number): number {
    this.#check(offset, maxLength, true);
    return bulk.readFromFd(this.#mapping(), fd, offset, maxLength);
  }

  /** shmdt. Idempotent; after it, every access throws instead of touching unmapped memory. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#noFile();
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
