import type { Command } from 'commander';
import { allNamespaces, declareOptions, format, ipcsFormat, json, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './info.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit info'],
    ['shmkit info --json | jq .limits.shmmax', 'exact in jq 1.7, not 1.6'],
    ['shmkit info --fits 1G --count 4', 'would four segments of 1 GiB fit now?'],
    ['shmkit info --format ipcs --limits', 'same bytes as: ipcs -m -l'],
    ['shmkit info --source kernel --json', 'straight from shmctl(IPC_INFO) and shmctl(SHM_INFO)'],
    ['shmkit info --kind all --format ipcs --limits', 'same bytes as: ipcs -l'],
    ['shmkit info --kind sem', 'semaphore limits and usage (kernel.sem)'],
    ['shmkit info --all-namespaces', 'which container uses the most shared memory (as root)'],
  ],
};

const OPTIONS: OptionSpec[] = [
  json('print {limits: {shmmax, shmmin, shmmni, shmseg, shmall}, usage: {...}, pageSize, ipcNamespace: {inode, initial}}'),
  format(['text', 'json', 'ipcs'], 'text, json or ipcs (byte for byte as ipcs -m -l / -u, or -s, -q, or all three)', 'text'),
  {
    flags: '--kind <KIND>', description: 'shm (segments), sem (semaphore sets), msg (message queues) or all; with all, --json is {shm, sem, msg, ipcNamespace}',
    choices: ['shm', 'sem', 'msg', 'all'], default: 'shm', conflicts: { with: ['fits'] },
  },
  { flags: '-l, --limits', description: 'only the limits' },
  {
    flags: '--fits <SIZE>', description: 'whether a segment of SIZE (or --count of them) fits the limits now, each limit with its headroom; exit 1 if not',
    conflicts: { with: ['format', 'limits', 'summary'] },
  },
  { flags: '--count <N>', description: 'with --fits: how many segments of SIZE', goesWith: { when: (o) => o.fits !== undefined, words: '--fits' } },
  { flags: '-u, --summary', description: 'only the usage' },
  {
    flags: '-b, --bytes', description: 'with --format ipcs: sizes in bytes, as ipcs -b',
    conflicts: { with: ['human'] }, goesWith: { when: ipcsFormat, words: '--format ipcs' },
  },
  { flags: '--human', description: 'with --format ipcs: sizes as ipcs --human prints them', goesWith: { when: ipcsFormat, words: '--format ipcs' } },
  {
    flags: '--source <SOURCE>', description: 'auto (/proc, else the kernel calls), proc, or kernel (shmctl IPC_INFO and SHM_INFO)',
    choices: ['auto', 'proc', 'kernel'], default: 'auto',
  },
  NAMESPACE,
  {
    ...allNamespaces('every IPC namespace on the host (as root): one line each, the one with the most shared memory in use first; ' +
      '--json: an array of {namespace, shm, sem, msg}; --format ipcs: each one\'s ipcs text under a line naming it'),
    conflicts: { with: ['fits'] },
  },
];

export function register(program: Command): void {
  declareOptions(program.command('info')
    .alias('limits')
    .summary('the kernel\'s limits (IPC_INFO) and current usage (SHM_INFO; --kind for semaphores and queues)')
    .description('Show the kernel\'s System V shared memory limits (IPC_INFO) and usage (SHM_INFO). Every integer ' +
      'is exact, also above 2^53 (shmmax is 18446744073692774399 by default). By default the numbers are read from ' +
      '/proc, which holds the same ones (as ipcs reads the limits): /proc/sys/kernel/shm*, sums over /proc/sysvipc/shm ' +
      'and the page size from /proc/self/auxv; --source kernel asks shmctl(IPC_INFO) and shmctl(SHM_INFO) instead, ' +
      'which also gives the usage as one consistent snapshot. Limits and usage are those of the IPC namespace ' +
      'shmkit runs in, which it names (a container\'s is not the host\'s). --kind sem and --kind msg give the ' +
      'semaphore and message queue limits (kernel.sem; kernel.msgmni, msgmax, msgmnb; or semctl and msgctl IPC_INFO) ' +
      'and usage (counted from /proc/sysvipc/sem and msg, or SEM_INFO and MSG_INFO), --kind all all three.'), OPTIONS)
    .addHelpText('after', footer('info', HELP))
    .action(async (opts: Opts) => (await import('./info.run.js')).run(opts));
}
