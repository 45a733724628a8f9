// The work of `shmkit read`, loaded only when that command runs.
import { InputError } from '../../core/errors.js';
import { parseCount } from '../../core/parse.js';
import { Attachment } from '../../core/attachment.js';
import { hexLines } from '../format/hex.js';
import { targetFrom } from '../options.js';
import { choice } from '../spec.js';
import { print } from '../output.js';

export
interface Opts { id?: string; key?: string; ftok?: string; offset: string; length?: string; format: string }

export function run(opts: Opts, id?: string): void {
  const format = choice<'text' | 'raw' | 'hex'>(opts.format, 'text');
  const target = targetFrom(opts, id);
  const offset = parseCount(opts.offset, 'offset');
  const wanted = opts.length === undefined ? undefined : parseCount(opts.length, 'length');
  const seg = Attachment.attach(target, { readonly: true });
  try {
    if (offset > seg.size) throw new InputError(`offset ${offset} is past the end of segment ${seg.id} (${seg.size} bytes)`);
    const length = wanted ?? seg.size - offset;
    if (length > seg.size - offset) {
      throw new InputError(`${length} bytes from offset ${offset} run past the end of segment ${seg.id} (${seg.size} bytes; ${seg.size - offset} from that offset)`);
    }
    if (format === 'raw') {
      seg.writeToFd(1, offset, length);
    } else if (format === 'text') {
      const nul = seg.indexOfNul(offset, length);
      const end = nul < 0 ? offset + length : nul;
      if (end > offset) {
        seg.writeToFd(1, offset, end - offset);
        const last = seg.read(end - 1, 1)[0];
        if (last !== 0x0a) print('\n');
      }
    } else {
      const chunk = 1 << 16; // a multiple of 16, so rows line up across chunks
      for (let at = offset; at < offset + length; at += chunk) {
        const n = Math.min(chunk, offset + length - at);
        print(hexLines(seg.read(at, n), at));
      }
    }
  } finally {
    seg.detach();
  }
}
