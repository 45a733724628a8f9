import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, format, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './read.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit read --key 0x1234 --offset 8', 'the seed\'s buf, as text'],
    ['shmkit read --id 5 --format hex --length 64'],
    ['shmkit read --id 5 --format raw > dump.bin'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '-o, --offset <N>', description: 'where to start, in bytes', default: '0' },
  { flags: '-l, --length <N>', description: 'how many bytes (default: to the end of the segment)' },
  format(['text', 'raw', 'hex'], 'text, raw or hex', 'text'),
];

export function register(program: Command): void {
  declareOptions(program.command('read')
    .alias('cat')
    .summary('attach a segment read-only and print its bytes')
    .description('Attach a segment read-only (SHM_RDONLY, so read permission is enough) and print bytes from it. ' +
      'text: the bytes up to the first NUL, as the seed\'s reader prints them, with a newline added if they do not end in one; ' +
      'raw: the bytes exactly, written to stdout straight from the segment; hex: an xxd-style dump.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('read', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./read.run.js')).run(opts, id));
}
