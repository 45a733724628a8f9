import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './read.run.js';

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
    .action(async (opts: Opts) => (await import('./read.run.js')).run(opts));
}
