// Reading a dump from an fd for restore: exact lengths straight into their own buffers, lines for the header and
// trailer, and waits for a pipe that a signal ends.
import { constants, fstatSync, openSync, readSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { pause, throwIfInterrupted } from './demo/protocol.js';
import { mustWait } from './errors.js';

/**
 * An fd to read the dump from without blocking the event loop: a pipe, FIFO, socket or terminal is opened again
 * through /proc/self/fd non-blocking (the shell's view of it stays as it was), so that a signal stops a restore that
 * waits for input. Files are read as they are.
 */
export function inputFd(fd: number): { fd: number; own: boolean } {
  try {
    const st = fstatSync(fd);
    if (st.isFile() || st.isBlockDevice()) return { fd, own: false };
    return { fd: openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK), own: true };
  } catch {
    return { fd, own: false };
  }
}

/** Reads a stream from an fd with a buffer of its own: lines for the header and trailer, exact lengths for the bytes. */
export class Reader {
  #buf: Buffer = Buffer.alloc(0);
  #fd: number;
  #eof = false;
  #signal: AbortSignal | undefined;
  constructor(fd: number, signal: AbortSignal | undefined) {
    this.#fd = fd;
    this.#signal = signal;
  }
  /** A read that would block (node's EAGAIN, or libc's through sys) waits on a timer, which a signal ends. */
  async #whenReady(read: () => number): Promise<number> {
    for (;;) {
      try {
        return read();
      } catch (e) {
        if (!mustWait(e) && (e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      await pause(2, this.#signal);
      throwIfInterrupted(this.#signal);
    }
  }
  #read(into: Buffer, at: number, length: number): Promise<number> {
    return this.#whenReady(() => readSync(this.#fd, into, at, length, null));
  }
  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = Buffer.allocUnsafe(1 << 16);
    const n = await this.#read(chunk, 0, chunk.length);
    if (n === 0) {
      this.#eof = true;
      return false;
    }
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    return true;
  }
  /** Up to n bytes (fewer only at the end of the stream), read straight into a buffer of their own. */
  async take(n: number): Promise<Buffer> {
    if (this.#buf.length >= n) {
      const out = this.#buf.subarray(0, n);
      this.#buf = this.#buf.subarray(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let have = this.#buf.copy(out);
    this.#buf = Buffer.alloc(0);
    while (have < n && !this.#eof) {
      const got = await this.#read(out, have, n - have);
      if (got === 0) this.#eof = true;
      have += got;
    }
    return out.subarray(0, have);
  }
  /**
   * read(2)s up to target.length bytes into target (after any bytes read ahead, which go first); 0 at the end of the
   * stream. A pipe that has nothing yet is waited on with a timer a signal ends.
   */
  async readBuffer(target: Buffer): Promise<number> {
    if (this.#buf.length) {
      const b = await this.take(Math.min(target.length, this.#buf.length));
      b.copy(target);
      return b.length;
    }
    if (this.#eof) return 0;
    const n = await this.#whenReady(() => sys.readInto(this.#fd, sys.addressOf(target), target.length));
    if (n === 0) this.#eof = true;
    return n;
  }
  /** A line, without its newline; null at the end, or past max bytes without one. */
  async line(max: number): Promise<string | null> {
    for (;;) {
      const nl = this.#buf.indexOf(0x0a);
      if (nl >= 0) return (await this.take(nl + 1)).toString('utf8', 0, nl);
      if (this.#buf.length > max || !(await this.#fill())) return null;
    }
  }
  async atEnd(): Promise<boolean> {
    return this.#buf.length === 0 && !(await this.#fill());
  }
}

