import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, format, ipcsFormat, json, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './stat.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit stat --key 0x1234'],
    ['shmkit stat 5', 'the id as an argument'],
    ['shmkit stat --ftok /srv/app', 'the segment whose key ftok(3) makes from the path'],
    ["shmkit stat --id 5 --json | jq '.attached[].pid'"],
    ['shmkit stat --id 5 --format ipcs', 'same bytes as: ipcs -m -i 5'],
    ["shmkit stat 5 --probe --json | jq '.hugePages, .pageSize'", 'huge pages or not, even with nothing attached'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  json('print a JSON object (the same shape as each element of list --json)'),
  format(['text', 'json', 'ipcs'], 'text, json or ipcs (byte for byte as ipcs -m -i ID)', 'text'),
  { flags: '--human', description: 'with --format ipcs: sizes as ipcs --human prints them', goesWith: { when: ipcsFormat, words: '--format ipcs' } },
  {
    flags: '--probe',
    description: 'where no process visible here has it attached, attach it read-only for a moment to learn whether it is on huge pages ' +
      '(this sets its attach and detach times and its lpid, as every shmat and shmdt does)',
    goesWith: { when: (o) => !ipcsFormat(o), words: '--format text or json' },
  },
];

export function register(program: Command): void {
  declareOptions(program.command('stat')
    .alias('show')
    .summary('show one segment (IPC_STAT) and the processes attached to it')
    .description('Show a segment\'s IPC_STAT record (to anyone, as ipcs -i and /proc/sysvipc/shm show it), its resident and swapped ' +
      'memory, and which processes of this IPC namespace have it attached (found through /proc/PID/maps; a container\'s ' +
      'processes can map a segment of the same id in their own namespace, and are left out). Command names are printed ' +
      'with control characters escaped (\\e, \\n, \\x9b); --json gives them as they are. A pid of 0 is a process ' +
      'this PID namespace cannot see. Whether it is on huge pages shows only in the mapping of a process that has it attached ' +
      '(its device is hugetlbfs\'s, not shmem\'s); with nothing attached it is unknown unless --probe attaches to look.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('stat', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./stat.run.js')).run(opts, id));
}
