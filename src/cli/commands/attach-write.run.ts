// The work of `shmkit attach-write`, loaded only when that command runs.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { InputError, errnoText, sysErrorFrom } from '../../core/errors.js';
import { parseCount } from '../../core/parse.js';
import { Attachment } from '../../core/attachment.js';
import { stageInput } from '../../core/staging.js';
import { fillByte, targetFrom } from '../options.js';

export
interface Opts { id?: string; key?: string; ftok?: string; data?: string; file?: string; stdin?: boolean; fill?: string; offset: string; length?: string; nul?: boolean; stream?: boolean }

export function run(opts: Opts, id?: string): void {
  const sources = ['data', 'file', 'stdin', 'fill'].filter((s) => (opts as unknown as Record<string, unknown>)[s] !== undefined);
  if (sources.length === 0) throw new InputError('say what to write: --data TEXT, --file PATH, --stdin or --fill CHAR');
  const target = targetFrom(opts, id);
  const offset = parseCount(opts.offset, 'offset');
  const length = opts.length === undefined ? undefined : parseCount(opts.length, 'length');
  const byte = opts.fill === undefined ? 0 : fillByte(opts.fill);

  // Open the input before attaching, so a missing file changes nothing.
  let fd = -1;
  if (opts.file !== undefined) {
    try {
      fd = openSync(opts.file, 'r');
    } catch (e) {
      const sys = sysErrorFrom(e);
      if (!sys) throw e;
      throw new InputError(`cannot open '${opts.file}': ${sys.code} (${sys.description})`);
    }
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd);
      throw new InputError(`cannot read '${opts.file}': ${errnoText(constants.errno.EISDIR)}`, '--file takes a file, not a directory');
    }
  } else if (opts.stdin) {
    fd = 0;
    if (fstatSync(0).isDirectory()) throw new InputError(`cannot read standard input: ${errnoText(constants.errno.EISDIR)}`, 'redirect a file, not a directory');
  }

  const seg = Attachment.attach(target);
  try {
    if (offset > seg.size) throw new InputError(`offset ${offset} is past the end of segment ${seg.id} (${seg.size} bytes)`);
    const room = seg.size - offset;
    const nul = opts.nul ? 1 : 0;
    const withNul = (data: Buffer) => (nul ? Buffer.concat([data, Buffer.alloc(1)]) : data);
    if (opts.data !== undefined) {
      const data = Buffer.from(opts.data, 'utf8');
      if (data.length + nul > room) throw tooBig(data.length + nul, offset, seg);
      seg.write(offset, withNul(data));
    } else if (opts.fill !== undefined) {
      const n = length ?? room;
      if (n > room) throw tooBig(n, offset, seg);
      seg.fill(offset, n, byte);
    } else if (opts.stream) {
      // Straight in, as it comes: no staging, and so no all-or-nothing (documented).
      const n = seg.readFromFd(fd, offset, room - nul);
      if (nul) seg.write(offset + n, Buffer.alloc(1));
    } else {
      // A file whose size already says it cannot fit is refused without reading it. Anything else is read to its
      // end first, outside the segment (a file may grow while it is read, /proc says 0, a pipe tells nothing): then
      // it goes in whole, or, where it had more than fits, not at all.
      const left = bytesLeftInFile(fd);
      if (left !== null && left + nul > room) throw tooBig(left + nul, offset, seg);
      const staged = stageInput(fd, room - nul);
      try {
        if (staged.more) {
          throw new InputError(`the input is larger than the ${room - nul} bytes that fit in segment ${seg.id} from offset ${offset}${nul ? ' with the NUL' : ''} (it had more than ${room - nul}); nothing was written`);
        }
        const n = seg.readFromFd(staged.fd, offset, staged.length);
        if (nul) seg.write(offset + n, Buffer.alloc(1));
      } finally {
        staged.close();
      }
    }
  } finally {
    seg.detach();
    if (fd > 0) closeSync(fd);
  }
}

function tooBig(n: number, offset: number, seg: Attachment): InputError {
  return new InputError(`${n} bytes do not fit in segment ${seg.id} at offset ${offset} (${seg.size} bytes, ${Math.max(0, seg.size - offset)} left); nothing was written`);
}

/**
 * What a regular file says is left to read from fd's position (a redirected stdin may have been read from already:
 * /proc/self/fdinfo tells the position); null for anything else, or a file that says 0 (/proc, sysfs).
 */
function bytesLeftInFile(fd: number): number | null {
  const st = fstatSync(fd);
  if (!st.isFile() || st.size === 0) return null;
  try {
    const m = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return Math.max(0, st.size - (m ? Number(m[1]) : 0));
  } catch {
    return null;
  }
}
