// Input staged before it goes into a segment, so that it goes in whole or not at all whatever it does: a file that
// grows while it is read, one whose st_size says 0 (/proc, sysfs), a pipe of unknown length. The input is read to
// its end, or to one byte past what fits, into a memfd: memory outside the process's heap (shmem pages, freed when
// the fd closes, whatever ends the process), bounded by the room plus one byte. Only then is anything written to the
// segment, from the memfd. splice(2) moves the data where the kernel lets it (a pipe straight in; a file through a
// pipe of ours), read(2)/write(2) through one buffer elsewhere.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { cannotSplice, mustWait } from './errors.js';

export interface Staged {
  /** A file of its own on the staged bytes, at position 0. */
  fd: number;
  /** The bytes staged: all of the input, or limit + 1 where there was more. */
  length: number;
  /** The input had more than limit bytes (and was not read further). */
  more: boolean;
  close(): void;
}

/** How much goes at a time. */
const CHUNK = 1 << 20;

/** Reads fd from its position to its end, or to limit + 1 bytes, into a memfd. */
export function stageInput(fd: number, limit: number): Staged {
  const memfd = sys.memfdCreate('shmkit-input');
  try {
    const want = limit + 1;
    // Where splice cannot read the input, read(2) does it all; where it stopped short of want, the input ended (and
    // read(2) says so at once).
    const spliced = spliceIn(fd, memfd, want);
    const total = spliced < 0 ? copyIn(fd, memfd, want) : spliced + copyIn(fd, memfd, want - spliced);
    const staged = openSync(`/proc/self/fd/${memfd}`, 'r'); // a description of its own, at position 0
    closeSync(memfd);
    const more = total > limit;
    return { fd: staged, length: total, more, close: () => closeSync(staged) };
  } catch (e) {
    closeSync(memfd);
    throw e;
  }
}

/**
 * splice(2)s the input into the memfd: straight from a pipe, through a pipe of ours from anything else. Returns the
 * bytes moved, the input ended or want reached; -1 where splice cannot read this input (nothing was read then).
 */
function spliceIn(fd: number, memfd: number, want: number): number {
  const isPipe = fstatSync(fd).isFIFO();
  // A bigger buffer in the input pipe lets each splice move up to 1 MiB instead of 64 KiB (the writer on the other
  // side fills it as fast); the pipe is shared, but only its size changes.
  if (isPipe) sys.growPipe(fd, CHUNK);
  const pipe = isPipe ? null : sys.splicePipe(CHUNK);
  let total = 0;
  try {
    while (total < want) {
      let n: number;
      try {
        n = sys.spliceFd(fd, null, pipe ? pipe.w : memfd, null, Math.min(want - total, pipe ? pipe.capacity : CHUNK));
      } catch (e) {
        if (mustWait(e)) {
          sys.waitFd(fd, 'in');
          continue;
        }
        if (total === 0 && cannotSplice(e)) return -1;
        throw e;
      }
      if (n === 0) break;
      if (pipe) for (let moved = 0; moved < n;) moved += sys.spliceFd(pipe.r, null, memfd, null, n - moved);
      total += n;
    }
  } finally {
    if (pipe) {
      closeSync(pipe.r);
      closeSync(pipe.w);
    }
  }
  return total;
}

/** read(2)s up to want bytes of fd into the memfd through one buffer; returns the bytes read. */
function copyIn(fd: number, memfd: number, want: number): number {
  if (want <= 0) return 0;
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, want));
  let total = 0;
  while (total < want) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, Math.min(buf.length, want - total), null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        sys.waitFd(fd, 'in');
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    for (let done = 0; done < n;) done += writeSync(memfd, buf, done, n - done);
    total += n;
  }
  return total;
}
