import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import { InputError } from '../../core/errors.js';
import { parseCount } from '../../core/parse.js';
import { Attachment } from '../../core/segment.js';
import { hexLines } from '../format/hex.js';
import { oneOf, targetFrom } from '../options.js';
import { print } from '../output.js';

interface Opts { id?: string; key?: string; offset: string; length?: string; format: string }

const HELP: CommandHelp = {
  examples: [
    ['shmkit read --key 0x1234 --offset 8', 'the seed\'s buf, as text'],
    ['shmkit read --id 5 --format hex --length 64'],
    ['shmkit read --id 5 --format raw > dump.bin'],
  ],
};

export function register(program: Command): void {
  program.command('read')
    .summary('attach a segment read-only and print its bytes')
    .description('Attach a segment read-only (SHM_RDONLY, so read permission is enough) and print bytes from it. ' +
      'text: the bytes up to the first NUL, as the seed\'s reader prints them, with a newline added if they do not end in one; ' +
      'raw: the bytes exactly, written to stdout straight from the segment; hex: an xxd-style dump.')
    .option('-i, --id <ID>', 'the segment id')
    .option('-k, --key <KEY>', 'the segment key')
    .option('-o, --offset <N>', 'where to start, in bytes', '0')
    .option('-l, --length <N>', 'how many bytes (default: to the end of the segment)')
    .option('-F, --format <FORMAT>', 'text, raw or hex', 'text')
    .addHelpText('after', footer('read', HELP))
    .action((opts: Opts) => run(opts));
}

function run(opts: Opts): void {
  const format = oneOf(opts.format, ['text', 'raw', 'hex'] as const, 'format');
  const target = targetFrom(opts);
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
