import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './stat.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit stat --key 0x1234'],
    ["shmkit stat --id 5 --json | jq '.attached[].pid'"],
    ['shmkit stat --id 5 --format ipcs', 'same bytes as: ipcs -m -i 5'],
  ],
};

export function register(program: Command): void {
  program.command('stat')
    .summary('show one segment (IPC_STAT) and the processes attached to it')
    .description('Show a segment\'s IPC_STAT record (read permission needed, as for ipcs -i), its resident and swapped ' +
      'memory, and which processes of this IPC namespace have it attached (found through /proc/PID/maps; a container\'s ' +
      'processes can map a segment of the same id in their own namespace, and are left out). Command names are printed ' +
      'with control characters escaped (\\e, \\n, \\x9b); --json gives them as they are. A pid of 0 is a process ' +
      'this PID namespace cannot see.')
    .option('-i, --id <ID>', 'the segment id')
    .option('-k, --key <KEY>', 'the segment key')
    .option('--json', 'print a JSON object (the same shape as each element of list --json)')
    .option('-F, --format <FORMAT>', 'text, json or ipcs (byte for byte as ipcs -m -i ID)', 'text')
    .option('--human', 'with --format ipcs: sizes as ipcs --human prints them')
    .addHelpText('after', footer('stat', HELP))
    .action(async (opts: Opts) => (await import('./stat.run.js')).run(opts));
}
