import type { Command } from 'commander';
import { OLDER_THAN, declareOptions, orphans, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './rm.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit rm --id 5 --id 6 --key 0x1234'],
    ['shmkit rm --orphans --dry-run'],
    ['shmkit rm --orphans --older-than 1h', 'for a cron job: spares segments made for a process yet to come'],
    ['shmkit rm --all --yes'],
  ],
};

export function register(program: Command): void {
  // --id and --key share one list, so segments go in the order they were named, as with ipcrm.
  const named: Array<{ kind: 'id' | 'key'; text: string }> = [];
  const collect = (kind: 'id' | 'key') => (text: string): string[] => {
    named.push({ kind, text });
    return named.map((n) => n.text);
  };
  const modes = ['id', 'key', 'all', 'orphans'];
  const OPTIONS: OptionSpec[] = [
    { flags: '-i, --id <ID>', description: 'remove the segment with this id (repeatable)', complete: 'id', parse: collect('id'), conflicts: { with: ['all', 'orphans'] } },
    { flags: '-k, --key <KEY>', description: 'remove the segment with this key (repeatable)', complete: 'key', parse: collect('key'), conflicts: { with: ['all', 'orphans'] } },
    { flags: '-a, --all', description: 'remove every segment you may remove (with --yes)', conflicts: { with: modes.filter((m) => m !== 'all') } },
    { flags: '-y, --yes', description: 'confirm --all', goesWith: { when: (o) => o.all === true, words: '--all' } },
    orphans('remove the segments nobody has attached whose creator and last user are known to be gone (a pid of 0, not visible from this PID namespace, is not gone); each is looked at again right before it goes, and one in use since is left'),
    OLDER_THAN,
    {
      flags: '-n, --dry-run', description: 'with --all or --orphans: print what would go, remove nothing',
      goesWith: { when: (o) => o.all === true || o.orphans === true, words: '--all or --orphans' },
    },
    { flags: '-v, --verbose', description: 'say what is removed, on stderr' },
  ];
  declareOptions(program.command('rm')
    .summary('remove segments (IPC_RMID) by id or key, all of yours, or the orphans')
    .description('Remove segments with IPC_RMID. A segment still attached is marked dest and goes when the last ' +
      'process detaches. Goes on past a failure, and exits 1 if any removal failed.'), OPTIONS)
    .addHelpText('after', footer('rm', HELP))
    .action(async (opts: Opts) => (await import('./rm.run.js')).run(opts, named));
}
