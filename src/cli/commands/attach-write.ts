import type { Command } from 'commander';
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

export function register(program: Command): void {
  program.command('attach-write')
    .summary('attach a segment (shmat) and write bytes into it')
    .description('Attach a segment read-write, write data at an offset, and detach. Data that does not fit between the offset ' +
      'and the end of the segment is refused before a byte is written, whatever the input does: --file and --stdin are read ' +
      'to their end first (a file that grows, a /proc file of size 0, a pipe of any length) into memory outside the process ' +
      '(a memfd, at most the room in the segment plus one byte), and only then copied in. --stream writes as it reads instead: ' +
      'no such memory, but input that does not fit leaves the segment written up to its end.')
    .option('-i, --id <ID>', 'the segment id')
    .option('-k, --key <KEY>', 'the segment key')
    .option('-d, --data <TEXT>', 'write TEXT (UTF-8)')
    .option('-f, --file <PATH>', 'write the contents of a file')
    .option('--stdin', 'write what comes on standard input (a file, a pipe, a terminal)')
    .option('--stream', 'with --file or --stdin: write straight into the segment as the input comes, without holding it first (not all or nothing)')
    .option('--fill <CHAR>', 'fill with one character (or a byte as 0xNN) from the offset to the end, or --length bytes')
    .option('-o, --offset <N>', 'where to start, in bytes', '0')
    .option('-l, --length <N>', 'with --fill: how many bytes')
    .option('--nul', 'write a NUL byte after the data, making it a C string')
    .addHelpText('after', footer('attach-write', HELP))
    .action(async (opts: Opts) => (await import('./attach-write.run.js')).run(opts));
}
