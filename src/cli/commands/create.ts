import type { Command } from 'commander';
import { declareOptions, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './create.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit create --size 4096', 'random key, mode 0644: prints the id'],
    ['id=$(shmkit create --size 1.5M --private)', 'IPC_PRIVATE'],
    ['shmkit create --key 0x1234 --size 1032 --exclusive'],
    ['shmkit create --ftok /etc/hostname:7 --size 64K --mode 600 --json'],
    ['shmkit create --size 4M --hugetlb --fill 0x00', 'on huge pages (sysctl vm.nr_hugepages=2 first)'],
    ['shmkit create --size 2G --dry-run', 'will it fit? each limit and its headroom; exit 1 if not'],
    ['shmkit create --sem 3 --key 0x1234', 'a semaphore set of 3 (ipcmk -S 3)'],
    ['shmkit create --queue --private', 'a message queue (ipcmk -Q)'],
  ],
};

const OPTIONS: OptionSpec[] = [
  {
    flags: '-s, --size <SIZE>', description: 'size in bytes; K M G T (1024), KiB MiB (1024), KB MB (1000), fractions such as 1.5M',
    synopsis: 'required',
  },
  { flags: '-M, --shmem <SIZE>', description: 'as ipcmk -M: the same as --size', aliasOf: 'size', conflicts: { with: ['size'] } },
  {
    flags: '-k, --key <KEY>', description: 'key: 0x-hex, leading-0 octal or decimal (default: a random unused key)',
    conflicts: { with: ['private', 'ftok'] },
  },
  { flags: '--private', description: 'IPC_PRIVATE: a segment with no key, reachable by its id only', conflicts: { with: ['ftok'] } },
  { flags: '--ftok <PATH[:PROJ]>', description: 'the key ftok(PATH, PROJ) makes (PROJ 1-255 or one character, default 1)', complete: 'file' },
  { flags: '-m, --mode <OCTAL>', description: 'permission bits', default: '644' },
  { flags: '-p, --perms <OCTAL>', description: 'as ipcmk -p: the same as --mode', aliasOf: 'mode', conflicts: { with: ['mode'] } },
  {
    flags: '-x, --exclusive', description: 'fail (EEXIST) if the key already has a segment, instead of opening it',
    conflicts: { with: ['private'], words: '--exclusive has no meaning with --private: every private segment is new' },
  },
  { flags: '--hugetlb', description: 'back it with huge pages (SHM_HUGETLB), reserved first with sysctl vm.nr_hugepages; the kernel rounds the memory up to whole huge pages' },
  {
    flags: '--hugepage-size <SIZE>', description: 'with --hugetlb: huge pages of 2M or 1G (SHM_HUGE_2MB, SHM_HUGE_1GB) instead of the default size',
    choices: ['2M', '1G'], goesWith: { when: (o) => o.hugetlb === true, words: '--hugetlb' },
  },
  { flags: '--noreserve', description: 'reserve no swap for it (SHM_NORESERVE): a write may then meet SIGSEGV when memory runs out' },
  { flags: '--fill <CHAR>', description: 'fill it with one character (or a byte as 0xNN) once made; an existing segment under the key is left as it is' },
  {
    flags: '-S, --sem <NSEMS>', description: 'make a semaphore set of NSEMS semaphores (semget), all 0, instead of a segment (as ipcmk -S)',
    conflicts: { with: ['size', 'shmem', 'queue', 'hugetlb', 'noreserve', 'fill', 'dryRun'], words: (o) => `--sem makes a semaphore set: ${o} is for segments, or another kind` },
  },
  {
    flags: '-Q, --queue', description: 'make a message queue (msgget) instead of a segment (as ipcmk -Q)',
    conflicts: { with: ['size', 'shmem', 'hugetlb', 'noreserve', 'fill', 'dryRun'], words: (o) => `--queue makes a message queue: ${o} is for segments` },
  },
  { flags: '-J, --json', description: 'print {id, key, keyHex, size, mode, created, filled} instead of the id ({id, key, keyHex, mode, created} and nsems for a set)' },
  {
    flags: '-n, --dry-run', description: 'create nothing: say whether a segment of SIZE fits the kernel\'s limits now (shmmin, shmmax, shmall, shmmni), each with its headroom; exit 1 if not',
    conflicts: { with: ['exclusive'] },
  },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('create')
    .summary('create a segment (shmget), a semaphore set or a queue, and print its id')
    .description('Create a System V shared memory segment with shmget(IPC_CREAT) and print its id alone on stdout, so that id=$(shmkit create --size 4096) works. ' +
      'With --sem NSEMS, a semaphore set (semget), and with --queue, a message queue (msgget), with the same choice of key, mode and --exclusive.'), OPTIONS)
    .addHelpText('after', footer('create', HELP))
    .action(async (opts: Opts) => (await import('./create.run.js')).run(opts));
}
