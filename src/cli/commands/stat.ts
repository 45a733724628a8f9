import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, format, ipcsFormat, json, NAMESPACE, type OptionSpec } from '../spec.js';
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
    ['shmkit stat --sem --key 0x1234', 'the semaphore set: each semaphore, and who waits on it'],
    ['shmkit stat --queue 3 --format ipcs', 'same bytes as: ipcs -q -i 3'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  json('print a JSON object (the same shape as each element of list --json)'),
  { flags: '-s, --sem', description: 'a semaphore set, not a segment (as ipcs -s -i): each semaphore\'s value, waiters and last pid', conflicts: { with: ['queue'] } },
  { flags: '-q, --queue', description: 'a message queue, not a segment (as ipcs -q -i)' },
  format(['text', 'json', 'ipcs'], 'text, json or ipcs (byte for byte as ipcs -m -i ID)', 'text'),
  { flags: '--human', description: 'with --format ipcs: sizes as ipcs --human prints them', goesWith: { when: ipcsFormat, words: '--format ipcs' } },
  {
    flags: '--probe',
    description: 'where no process visible here has it attached, attach it read-only for a moment to learn whether it is on huge pages ' +
      '(this sets its attach and detach times and its lpid, as every shmat and shmdt does)',
    goesWith: { when: (o) => !ipcsFormat(o) && o.sem !== true && o.queue !== true, words: 'a segment, in --format text or json' },
  },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('stat')
    .alias('show')
    .summary('show one segment (IPC_STAT) and the processes attached to it; --sem, --queue: a set or a queue')
    .description('Show a segment\'s IPC_STAT record (to anyone, as ipcs -i and /proc/sysvipc/shm show it), its resident and swapped ' +
      'memory, and which processes of this IPC namespace have it attached (found through /proc/PID/maps; a container\'s ' +
      'processes can map a segment of the same id in their own namespace, and are left out). Command names are printed ' +
      'with control characters escaped (\\e, \\n, \\x9b); --json gives them as they are. A pid of 0 is a process ' +
      'this PID namespace cannot see. Whether it is on huge pages shows only in the mapping of a process that has it attached ' +
      '(its device is hugetlbfs\'s, not shmem\'s); with nothing attached it is unknown unless --probe attaches to look. ' +
      'With --sem, a semaphore set: every semaphore\'s value, ncount, zcount and last pid (GETALL, GETNCNT, GETZCNT, ' +
      'GETPID: read permission needed), and the processes blocked on each, from /proc/PID/syscall; with --queue, a ' +
      'message queue, and the processes blocked in msgsnd or msgrcv on it.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('stat', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./stat.run.js')).run(opts, id));
}
