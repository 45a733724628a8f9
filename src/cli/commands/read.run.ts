// The work of `shmkit read`, loaded only when that command runs.
import { InputError } from '../../core/errors.js';
import { parseCount } from '../../core/parse.js';
import { Attachment } from '../../core/attachment.js';
import { hexDump } from '../format/hex.js';
import { readFileSync } from 'node:fs';
import { nodeErrnoText } from '../../core/errors.js';
import { SHMSEG_LAYOUT, type StructType, parseLayout } from '../../core/cstruct.js';
import { decode } from '../../core/decode.js';
import { structJson, structText } from '../format/struct.js';
import { toJson } from '../format/json.js';
import { targetFrom } from '../options.js';
import { choice } from '../spec.js';
import { print } from '../output.js';

/** How much of the segment text output looks at for its NUL before it writes (16 MiB: a few ms of memchr; 1 MiB cost
 * a madvise and a write per MiB, 0.66x of this speed). */
const TEXT_CHUNK = 1 << 24;

export
interface Opts { id?: string; key?: string; ftok?: string; offset: string; length?: string; format: string; layout?: string; json?: boolean }

/** --layout SPEC: shmseg (built in), @FILE (C declarations in a file), or the declarations themselves. */
export function layoutFrom(spec: string): StructType {
  if (spec === 'shmseg') return parseLayout(SHMSEG_LAYOUT);
  if (spec.startsWith('@')) {
    let text: string;
    try {
      text = readFileSync(spec.slice(1), 'utf8');
    } catch (e) {
      throw new InputError(`--layout ${spec}: cannot read ${spec.slice(1)}: ${nodeErrnoText(e)}`);
    }
    return parseLayout(text);
  }
  return parseLayout(spec);
}

export function run(opts: Opts, id?: string): void {
  const format = opts.json ? 'json' : choice<'text' | 'raw' | 'hex'>(opts.format, 'text');
  const target = targetFrom(opts, id);
  const offset = parseCount(opts.offset, 'offset');
  const wanted = opts.length === undefined ? undefined : parseCount(opts.length, 'length');
  // A layout that does not parse is bad input before anything is attached.
  const layout = opts.layout === undefined ? null : layoutFrom(opts.layout);
  if (layout === null && format === 'json') throw new InputError('--json goes with --layout: the bytes themselves are --format raw or hex');
  if (layout !== null && (format === 'raw' || format === 'hex')) throw new InputError(`--layout prints the members as text, or as --json: not --format ${format}`);
  const seg = Attachment.attach(target, { readonly: true });
  try {
    if (offset > seg.size) throw new InputError(`offset ${offset} is past the end of segment ${seg.id} (${seg.size} bytes)`);
    const length = wanted ?? seg.size - offset;
    if (length > seg.size - offset) {
      throw new InputError(`${length} bytes from offset ${offset} run past the end of segment ${seg.id} (${seg.size} bytes; ${seg.size - offset} from that offset)`);
    }
    if (layout !== null) {
      if (offset + layout.size > seg.size) {
        const at = layout.where ? `layout: line ${layout.where.line}, column ${layout.where.column}: ` : '';
        throw new InputError(`${at}the struct is ${layout.size} bytes, and segment ${seg.id} has ${seg.size - offset} from offset ${offset} (${seg.size} in all)`);
      }
      const values = decode(seg, layout, offset);
      print(format === 'json' ? toJson(structJson(values)) + '\n' : structText(values));
    } else if (format === 'raw') {
      seg.writeToFd(1, offset, length);
    } else if (format === 'text') {
      // A MiB at a time up to the first NUL: the text starts coming out before the NUL is found (| head -c 10 of a
      // segment of gigabytes is answered at once).
      let end = offset;
      for (let at = offset; at < offset + length;) {
        const n = Math.min(TEXT_CHUNK, offset + length - at);
        const nul = seg.indexOfNul(at, n);
        const stop = nul < 0 ? at + n : nul;
        if (stop > at) seg.writeToFd(1, at, stop - at);
        end = stop;
        if (nul >= 0) break;
        at += n;
      }
      if (end > offset && seg.read(end - 1, 1)[0] !== 0x0a) print('\n');
    } else {
      const chunk = 1 << 20; // a multiple of 16, so rows line up across chunks
      const buf = Buffer.allocUnsafe(Math.min(chunk, length));
      for (let at = offset; at < offset + length; at += chunk) {
        const n = Math.min(chunk, offset + length - at);
        print(hexDump(seg.readInto(at, buf.subarray(0, n)), at));
      }
    }
  } finally {
    seg.detach();
  }
}
