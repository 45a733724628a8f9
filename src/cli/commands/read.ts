import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, format, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './read.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit read --key 0x1234 --offset 8', 'the seed\'s buf, as text'],
    ['shmkit read --id 5 --format hex --length 64'],
    ['shmkit read --id 5 --format raw > dump.bin'],
    ['shmkit read --key 0x1234 --layout shmseg', 'the tutorial\'s struct shmseg, member by member'],
    ["shmkit read 5 --layout 'int cnt; char buf[1024];' --json | jq .cnt"],
    ['shmkit read 5 --layout @shmseg.h --offset 64', 'the struct in a header, 64 bytes in'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '-o, --offset <N>', description: 'where to start, in bytes', default: '0' },
  { flags: '-l, --length <N>', description: 'how many bytes (default: to the end of the segment)' },
  format(['text', 'raw', 'hex'], 'text, raw or hex (with --layout: its members as text; --json for JSON)', 'text'),
  {
    flags: '-L, --layout <SPEC>', conflicts: { with: ['length'], words: '--layout reads as many bytes as its struct has: --length has no place' },
    description: 'decode the bytes at --offset as a C struct: SPEC is C declarations (\'int cnt; char buf[1024];\'), @FILE for a header, or shmseg (the tutorial\'s); x86_64 alignment and padding',
  },
  { flags: '-J, --json', description: 'with --layout: the members as JSON (exact integers; char arrays as {text, length, size})', conflicts: { with: ['format'] } },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('read')
    .alias('cat')
    .summary('attach a segment read-only and print its bytes')
    .description('Attach a segment read-only (SHM_RDONLY, so read permission is enough) and print bytes from it. ' +
      'text: the bytes up to the first NUL, as the seed\'s reader prints them, with a newline added if they do not end in one; ' +
      'raw: the bytes exactly, written to stdout straight from the segment; hex: an xxd-style dump. ' +
      'With --layout, the bytes are the struct a program keeps there, decoded member by member as x86_64 compilers lay it out: ' +
      'integers (char to long long, unsigned, int8_t..uint64_t, size_t, pid_t), float, double, bool, pointers, arrays, ' +
      'nested structs, #define\'d array lengths; a char array is its text up to the first NUL (unsigned char and int8_t arrays are numbers). Bit-fields, unions, ' +
      'enums and attributes are refused with their line and column, as is a struct larger than the segment.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('read', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./read.run.js')).run(opts, id));
}
