import type { Command } from 'commander';
import { allNamespaces, declareOptions, OLDER_THAN, format, json, orphans, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './list.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit list'],
    ["shmkit list --json | jq '.[] | select(.nattch == 0) | .id'"],
    ['shmkit list --format ipcs --time', 'same bytes as: ipcs -m -t'],
    ['shmkit list --orphans'],
    ['shmkit list --orphans --older-than 1d --json', 'orphans untouched for a day'],
    ['shmkit list --sem', 'semaphore sets (ipcs -s); --queues for message queues'],
    ['shmkit list -a --format ipcs', 'same bytes as: ipcs'],
    ['shmkit list --all-namespaces -a', 'every container\'s objects too (as root)'],
    ['shmkit list --namespace 812', 'the objects of the namespace pid 812 is in'],
  ],
};

/** The table's and ipcs's own options: they shape those formats, and --json has every field. */
const TABLE_OR_IPCS: NonNullable<OptionSpec['goesWith']> = {
  when: (o) => o.json !== true && o.format !== 'json', words: 'the table and ipcs formats; --json has every field',
};

/** The table and ipcs views, one at a time. */
const view = (name: string, description: string): OptionSpec => ({
  flags: name, description, conflicts: { with: ['time', 'pid', 'creator'].filter((v) => !name.endsWith(v)) }, goesWith: TABLE_OR_IPCS,
});

const OPTIONS: OptionSpec[] = [
  json('print a JSON array, one object per segment (or set, or queue), as stat --json prints it; with more than one kind, an object of arrays: {queues, segments, semaphoreSets}'),
  format(['table', 'json', 'ipcs'], 'table, json or ipcs (byte for byte as ipcs -m, -s, -q or ipcs with no option)', 'table'),
  { flags: '-m, --shm', description: 'shared memory segments (the default when no kind is named; as ipcs -m)' },
  { flags: '-s, --sem', description: 'semaphore sets (as ipcs -s)' },
  { flags: '-q, --queues', description: 'message queues (as ipcs -q)' },
  { flags: '--msg', description: 'the same as --queues', aliasOf: 'queues' },
  { flags: '-a, --all-kinds', description: 'all three kinds, in ipcs\'s order: queues, segments, semaphore sets (as ipcs and ipcs -a)' },
  view('-t, --time', 'attach, detach and change times (as ipcs -m -t)'),
  view('-p, --pid', 'creator and last-operator pids (as ipcs -m -p)'),
  view('-c, --creator', 'creator and owner (as ipcs -m -c)'),
  {
    flags: '--human', description: 'sizes as 4K, 1.5M (as ipcs --human)', conflicts: { with: ['bytes'] }, goesWith: TABLE_OR_IPCS,
  },
  { flags: '-b, --bytes', description: 'sizes in bytes (the default; as ipcs -b)' },
  orphans('only the segments nobody has attached whose creator and last user are known to be gone (a pid of 0, not visible from this PID namespace, is not gone)'),
  OLDER_THAN,
  { flags: '-i, --id <ID>', description: 'one segment', refuse: 'list shows every segment; for one, use shmkit stat --id ID' },
  NAMESPACE,
  allNamespaces('every IPC namespace on the host (needs CAP_SYS_PTRACE and CAP_SYS_ADMIN: root): each one\'s objects under a line ' +
    'naming it (its inode, its lowest pid and command, the container its cgroup names, a bind mount that holds it); with ' +
    '--json, an array of {namespace, segments, semaphoreSets, queues} with the kinds asked'),
];

export function register(program: Command): void {
  declareOptions(program.command('list')
    .alias('ls')
    .summary('every segment (or semaphore set, or queue) on the system: a table, JSON, or ipcs exactly')
    .description('List every System V shared memory segment, read from /proc/sysvipc/shm (which shows them all, ' +
      'whatever their permissions), or from SHM_INFO and SHM_STAT_ANY where /proc is not there; --sem and --queues ' +
      'list semaphore sets and message queues the same way (/proc/sysvipc/sem and msg, else SEM_INFO and ' +
      'SEM_STAT_ANY, MSG_INFO and MSG_STAT_ANY), and --all-kinds all three. In the table, ' +
      'a † after a pid (a * where the locale is not UTF-8) says that process is gone, and a pid of 0 shows as -: ' +
      'not visible from this PID namespace; on a terminal, a line under the table says so too.'), OPTIONS)
    .addHelpText('after', footer('list', HELP))
    .action(async (opts: Opts) => (await import('./list.run.js')).run(opts));
}
