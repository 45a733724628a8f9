// Bulk I/O between attached memory and a file descriptor: read(2)/write(2) a MiB at a time with the pages populated
// first, and sendfile(2) or splice(2) where the kernel can copy page to page itself. Addresses come from an Attachment, which has
// checked the bounds before it calls here: this module is internal (src/index.ts does not export it).
import { closeSync, fstatSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { InputError, cannotSplice, mustWait } from './errors.js';

/** Above this, bulk I/O maps the pages in one madvise first: a page fault per 4 KiB page costs more than the copy. */
export const POPULATE_FROM = 1 << 20;
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

/**
 * The attached segment a transfer works on: its id (for messages), base address and size, and its own shmem file
 * (sys.openMappedFile), opened once by the attachment, which closes it at detach; null where it cannot be opened.
 */
export interface Mapping {
  id: number;
  addr: bigint;
  size: number;
  file(): number | null;
}

/**
 * write(2)s length bytes from offset straight to fd, with no copy in between. A non-blocking fd is waited on with
 * poll(2). Returns the bytes written.
 */
export function writeToFd(m: Mapping, fd: number, offset: number, length: number): number {
  const at = m.addr + BigInt(offset);
  let done = 0;
  if (length >= SPLICE_FROM && isRegularFile(fd)) {
    done = sendOut(m, fd, offset, length);
    if (done === 0) done = spliceOut(at, fd, length);
  }
  if (length - done >= POPULATE_FROM) sys.populate(at + BigInt(done), length - done, false);
  while (done < length) {
    try {
      done += sys.writeFrom(fd, at + BigInt(done), Math.min(length - done, IO_CHUNK));
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
 * more than maxLength bytes, throws InputError after filling maxLength. Returns the bytes read.
 */
export function readFromFd(m: Mapping, fd: number, offset: number, maxLength: number): number {
  const at = m.addr + BigInt(offset);
  let done = 0;
  if (maxLength >= SPLICE_FROM && isRegularFile(fd)) {
    const sent = sendIn(m, fd, offset, maxLength);
    if (sent.eof) return sent.done;
    done = sent.done;
  }
  if (maxLength - done >= SPLICE_FROM) {
    const spliced = spliceIn(m, fd, offset + done, maxLength - done);
    if (spliced.eof) return done + spliced.done;
    done += spliced.done;
  }
  if (maxLength - done >= POPULATE_FROM) sys.populate(at + BigInt(done), maxLength - done, true);
  for (;;) {
    const room = maxLength - done;
    let n: number;
    try {
      if (room === 0) {
        // Full: one more byte of input means the data did not fit.
        const probe = Buffer.alloc(1);
        n = sys.readInto(fd, sys.addressOf(probe), 1);
        if (n > 0) throw new InputError(`the input is larger than the ${maxLength} bytes left in segment ${m.id} from offset ${offset}; those ${maxLength} bytes were written`);
        return done;
      }
      n = sys.readInto(fd, at + BigInt(done), Math.min(room, IO_CHUNK));
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

/** sendfile(2) moves at most this much per call (the kernel's own limit is just under 2 GiB). */
const SEND_CHUNK = 1 << 30;

/**
 * writeToFd for a regular file, where the segment's own file can be opened (sys.openMappedFile): sendfile(2) from it
 * copies page cache to page cache in the kernel. Measured here (1 GiB, tmpfs, pages present on both sides): 151 ms
 * against cat's 167 and vmsplice + splice's 209. Returns the bytes written; 0 where it cannot be used at all.
 */
function sendOut(m: Mapping, fd: number, offset: number, length: number): number {
  const file = m.file();
  if (file === null) return 0;
  const from = Buffer.alloc(8);
  from.writeBigInt64LE(BigInt(offset));
  let done = 0;
  try {
    while (done < length) {
      const n = sys.sendFile(fd, file, from, Math.min(length - done, SEND_CHUNK));
      if (n === 0) break; // past the file's end: cannot be, but write(2) finishes it
      done += n;
    }
  } catch (e) {
    if (!cannotSplice(e)) throw e;
  }
  return done;
}

/**
 * readFromFd from a regular file into the segment's own file (sys.openMappedFile): sendfile(2) from the input's
 * position, which it advances as read(2) would. 164 ms for 1 GiB here, against cat's 212 and splice's 201. Returns
 * the bytes read and whether the input ended; done stays below maxLength, without eof, where it cannot go on.
 */
function sendIn(m: Mapping, fd: number, offset: number, maxLength: number): { done: number; eof: boolean } {
  const file = m.file();
  if (file === null) return { done: 0, eof: false };
  let done = 0;
  try {
    sys.seekTo(file, offset);
    while (done < maxLength) {
      const n = sys.sendFile(file, fd, null, Math.min(maxLength - done, SEND_CHUNK));
      if (n === 0) return { done, eof: true };
      done += n;
    }
  } catch (e) {
    if (!cannotSplice(e)) throw e;
  }
  return { done, eof: false };
}

/**
 * writeToFd for a regular file: vmsplice(2) lends the segment's pages to a pipe, splice(2) copies them into the file.
 * Only for regular files: a pipe or socket reader would get references to the live pages, not a copy made now.
 * Returns the bytes written; fewer than length where splice cannot go on, for write(2) to finish.
 */
function spliceOut(at: bigint, fd: number, length: number): number {
  const pipe = sys.splicePipe(PIPE_WANT);
  let done = 0;
  try {
    sys.populate(at, length, false);
    while (done < length) {
      const lent = sys.vmspliceFrom(pipe.w, at + BigInt(done), Math.min(length - done, pipe.capacity));
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
function spliceIn(m: Mapping, fd: number, offset: number, maxLength: number): { done: number; eof: boolean } {
  const file = m.file();
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
  }
  return { done, eof: false };
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
