import type { Command } from 'commander';
import { OLDER_THAN, declareOptions, orphans, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Named, Opts } from './rm.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit rm --id 5 --id 6 --key 0x1234'],
    ['shmkit rm 5 6', 'ids as arguments, as ipcrm 5 6'],
    ['shmkit rm --orphans --dry-run'],
    ['shmkit rm --orphans --older-than 1h', 'for a cron job: spares segments made for a process yet to come'],
    ['shmkit rm --all --yes'],
  ],
};

export function register(program: Command): void {
  // --id, --key, --ftok and their ipcrm spellings share one list, so segments go in the order they were named, as
  // with ipcrm; ids given as arguments (rm 5 7, as ipcrm 5 7 does) come after them.
  const named: Named[] = [];
  const collect = (kind: Named['kind']) => (text: string): string[] => {
    named.push({ kind, text });
    return named.map((n) => n.text);
  };
  const byName = ['id', 'key', 'ftok', 'shmemId', 'shmemKey'];
  const one = (flags: string, description: string, kind: Named['kind'], complete: 'id' | 'key' | 'file'): OptionSpec => ({
    flags, description, complete, parse: collect(kind), conflicts: { with: ['all', 'orphans'] },
  });
  const OPTIONS: OptionSpec[] = [
    one('-i, --id <ID>', 'remove the segment with this id (repeatable)', 'id', 'id'),
    one('-k, --key <KEY>', 'remove the segment with this key (repeatable)', 'key', 'key'),
    one('--ftok <PATH[:PROJ]>', 'remove the segment whose key ftok(PATH, PROJ) makes (repeatable)', 'ftok', 'file'),
    one('-m, --shmem-id <ID>', 'as ipcrm -m: the same as --id', 'id', 'id'),
    one('-M, --shmem-key <KEY>', 'as ipcrm -M: the same as --key', 'key', 'key'),
    {
      flags: '-a, --all [TYPE]', description: 'remove every segment you may remove (with --yes); TYPE shm, as ipcrm --all=shm',
      choices: ['shm'], conflicts: { with: [...byName, 'orphans'] },
      otherChoice: (type) => `--all=${type}: rm removes shared memory segments only (--all or --all=shm)`,
    },
    { flags: '-y, --yes', description: 'confirm --all', goesWith: { when: (o) => o.all !== undefined && o.all !== false, words: '--all' } },
    orphans('remove the segments nobody has attached whose creator and last user are known to be gone (a pid of 0, not visible from this PID namespace, is not gone); each is looked at again right before it goes, and one in use since is left'),
    OLDER_THAN,
    {
      flags: '-n, --dry-run', description: 'with --all or --orphans: print what would go, remove nothing',
      goesWith: { when: (o) => (o.all !== undefined && o.all !== false) || o.orphans === true, words: '--all or --orphans' },
    },
    { flags: '-v, --verbose', description: 'say what is removed, on stderr' },
  ];
  declareOptions(program.command('rm')
    .aliases(['remove', 'delete', 'del'])
    .summary('remove segments (IPC_RMID) by id or key, all of yours, or the orphans')
    .description('Remove segments with IPC_RMID. A segment still attached is marked dest and goes when the last ' +
      'process detaches. Goes on past a failure, and exits 1 if any removal failed. Ids can also be given as ' +
      'arguments, as to ipcrm (shmkit rm 5 7), and ipcrm\'s -m ID and -M KEY work too.')
    .argument('[ID...]', 'ids of segments to remove'), OPTIONS)
    .addHelpText('after', footer('rm', HELP))
    .action(async (ids: string[], opts: Opts) => {
      for (const text of ids) named.push({ kind: 'positional', text });
      return (await import('./rm.run.js')).run(opts, named);
    });
}
