// The work of `shmkit attach-write`, loaded only when that command runs.
import type { Command } from 'commander';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError, OperationError } from '../../core/errors.js';
import { sleepSync } from '../../core/io.js';
import { parseCount } from '../../core/parse.js';
import { Attachment } from '../../core/segment.js';
import { atMostOne, targetFrom } from '../options.js';

export
interface Opts { id?: string; key?: string; data?: string; file?: string; stdin?: boolean; fill?: string; offset: string; length?: string; nul?: boolean }

function fillByte(text: string): number {
  if (/^0[xX][0-9a-fA-F]{1,2}$/.test(text)) return parseInt(text.slice(2), 16);
  const b = Buffer.from(text, 'utf8');
  if (b.length !== 1) throw new InputError(`--fill takes one single-byte character or a byte as 0xNN, not '${text}'`);
  return b[0] as number;
}

export function run(opts: Opts): void {
  const sources = ['data', 'file', 'stdin', 'fill'].filter((s) => (opts as unknown as Record<string, unknown>)[s] !== undefined);
  if (sources.length === 0) throw new InputError('say what to write: --data TEXT, --file PATH, --stdin or --fill CHAR');
  atMostOne(opts, ['data', 'file', 'stdin', 'fill']);
  const target = targetFrom(opts);
  const offset = parseCount(opts.offset, 'offset');
  if (opts.length !== undefined && opts.fill === undefined) throw new InputError('--length goes with --fill');
  const length = opts.length === undefined ? undefined : parseCount(opts.length, 'length');
  if (opts.nul && opts.fill !== undefined) throw new InputError('--nul goes with --data, --file or --stdin');
  const byte = opts.fill === undefined ? 0 : fillByte(opts.fill);

  // Open the input before attaching, so a missing file changes nothing.
  let fd = -1;
  let fileSize: number | null = null;
  if (opts.file !== undefined) {
    try {
      fd = openSync(opts.file, 'r');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new InputError(`cannot open '${opts.file}': ${err.code ?? 'error'} (${err.message.replace(/^[A-Z]+: /, '').replace(/, open.*$/, '')})`);
    }
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      closeSync(fd);
      throw new InputError(`'${opts.file}' is a directory: EISDIR`);
    }
    if (st.isFile()) fileSize = st.size;
  } else if (opts.stdin) {
    fd = 0;
    const st = fstatSync(0);
    if (st.isFile()) fileSize = st.size - currentOffset(0, st.size);
    if (st.isDirectory()) throw new InputError('standard input is a directory: EISDIR');
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
    } else if (fileSize !== null) {
      // A regular file: its size is known, so check first, then move it into the segment (splice(2) where the kernel
      // lets us open the segment's file, read(2) into the mapping elsewhere; no copy in between either way).
      if (fileSize + nul > room) throw tooBig(fileSize + nul, offset, seg);
      const n = seg.readFromFd(fd, offset, fileSize);
      if (nul) seg.write(offset + n, Buffer.alloc(1));
    } else {
      // A pipe or terminal: the size is not known until the end. Gather at most room+1 bytes first, so that input
      // that does not fit is refused before a byte of the segment changes.
      const data = readUpTo(fd, room - nul + 1);
      if (data.length + nul > room) throw new InputError(`the input is larger than the ${room - nul} bytes that fit in segment ${seg.id} from offset ${offset}${nul ? ' with the NUL' : ''}; nothing was written`);
      seg.write(offset, withNul(data));
    }
  } finally {
    seg.detach();
    if (fd > 0) closeSync(fd);
  }
}

function tooBig(n: number, offset: number, seg: Attachment): InputError {
  return new InputError(`${n} bytes do not fit in segment ${seg.id} at offset ${offset} (${seg.size} bytes, ${Math.max(0, seg.size - offset)} left); nothing was written`);
}

function currentOffset(fd: number, size: number): number {
  try {
    // /proc/self/fdinfo tells the file position of fd 0 (a redirected file may have been read from already).
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
    const m = /^pos:\s+(\d+)/m.exec(info);
    return m ? Math.min(Number(m[1]), size) : 0;
  } catch {
    return 0;
  }
}

function readUpTo(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(max - total, 1), 1 << 20));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        sleepSync(1);
        continue;
      }
      if (code === 'EOF') return Buffer.concat(chunks, total);
      throw new OperationError(`cannot read the input: ${code ?? String(e)}`);
    }
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total >= max) return Buffer.concat(chunks, total);
  }
}
