import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './attach-write.run.js';

const HELP: CommandHelp = {
  examples: [
    ["shmkit attach-write --key 0x1234 --data 'hello' --nul"],
    ['shmkit attach-write --id 5 --offset 8 --file block.bin'],
    ['head -c 4096 /dev/urandom | shmkit attach-write --id 5 --stdin'],
    ['zcat big.gz | shmkit attach-write --id 5 --stdin --stream', 'no copy held in memory first'],
    ['shmkit attach-write --id 5 --fill 0x00', 'zero the whole segment'],
  ],
};

const SOURCES = ['data', 'file', 'stdin', 'fill'];
const others = (name: string) => ({ with: SOURCES.filter((s) => s !== name) });

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '-d, --data <TEXT>', description: 'write TEXT (UTF-8)', conflicts: others('data') },
  { flags: '-f, --file <PATH>', description: 'write the contents of a file', complete: 'file', conflicts: others('file') },
  { flags: '--stdin', description: 'write what comes on standard input (a file, a pipe, a terminal)', conflicts: others('stdin') },
  {
    flags: '--stream', description: 'with --file or --stdin: write straight into the segment as the input comes, without holding it first (not all or nothing)',
    goesWith: { when: (o) => o.file !== undefined || o.stdin === true, words: '--file or --stdin' },
  },
  {
    flags: '--fill <CHAR>', description: 'fill with one character (or a byte as 0xNN) from the offset to the end, or --length bytes',
    conflicts: others('fill'),
  },
  { flags: '-o, --offset <N>', description: 'where to start, in bytes', default: '0' },
  { flags: '-l, --length <N>', description: 'with --fill: how many bytes', goesWith: { when: (o) => o.fill !== undefined, words: '--fill' } },
  {
    flags: '--nul', description: 'write a NUL byte after the data, making it a C string',
    goesWith: { when: (o) => o.fill === undefined, words: '--data, --file or --stdin' },
  },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('attach-write')
    .summary('attach a segment (shmat) and write bytes into it')
    .description('Attach a segment read-write, write data at an offset, and detach. Data that does not fit between the offset ' +
      'and the end of the segment is refused before a byte is written, whatever the input does: --file and --stdin are read ' +
      'to their end first (a file that grows, a /proc file of size 0, a pipe of any length) into memory outside the process ' +
      '(a memfd, at most the room in the segment plus one byte), and only then copied in. --stream writes as it reads instead: ' +
      'no such memory, but input that does not fit leaves the segment written up to its end. The kernel picks the address: ' +
      'shmat\'s shmaddr, SHM_RND and SHM_REMAP are left out, as a command that attaches for one write has nothing to ' +
      'place at a fixed address.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('attach-write', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./attach-write.run.js')).run(opts, id));
}
