import type { Command } from 'commander';
import { OLDER_THAN, allNamespaces, declareOptions, orphans, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Named, Opts } from './rm.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit rm --id 5 --id 6 --key 0x1234'],
    ['shmkit rm 5 6', 'ids as arguments, as ipcrm 5 6'],
    ['shmkit rm --orphans --dry-run'],
    ['shmkit rm --orphans --older-than 1h', 'for a cron job: spares segments made for a process yet to come'],
    ['shmkit rm --all --yes', 'every segment you may remove'],
    ['shmkit rm --sem-key 0x1234 --queue-id 3', 'a semaphore set and a queue (ipcrm -S 0x1234 -q 3)'],
    ['shmkit rm --all=all --yes', 'every segment, semaphore set and queue you may remove'],
    ['shmkit rm --orphans --all-namespaces', 'what would go in every container (as root); --yes removes it'],
  ],
};

export function register(program: Command): void {
  // --id, --key, --ftok and their ipcrm spellings share one list, so segments go in the order they were named, as
  // with ipcrm; ids given as arguments (rm 5 7, as ipcrm 5 7 does) come after them.
  const named: Named[] = [];
  const byName = ['id', 'key', 'ftok', 'shmemId', 'shmemKey', 'semId', 'semKey', 'queueId', 'queueKey'];
  const one = (flags: string, description: string, kind: Named['kind'], complete: 'id' | 'key' | 'file', ipc: Named['ipc'] = 'shm'): OptionSpec => ({
    flags, description, complete, parse: collectAs(kind, ipc), conflicts: { with: ['all', 'orphans'] },
  });
  const collectAs = (kind: Named['kind'], ipc: Named['ipc']) => (text: string): string[] => {
    named.push({ kind, text, ipc });
    return named.map((n) => n.text);
  };
  const OPTIONS: OptionSpec[] = [
    one('-i, --id <ID>', 'remove the segment with this id (repeatable)', 'id', 'id'),
    one('-k, --key <KEY>', 'remove the segment with this key (repeatable)', 'key', 'key'),
    one('--ftok <PATH[:PROJ]>', 'remove the segment whose key ftok(PATH, PROJ) makes (repeatable)', 'ftok', 'file'),
    one('-m, --shmem-id <ID>', 'as ipcrm -m: the same as --id', 'id', 'id'),
    one('-M, --shmem-key <KEY>', 'as ipcrm -M: the same as --key', 'key', 'key'),
    one('-s, --sem-id <ID>', 'remove the semaphore set with this id (repeatable; as ipcrm -s)', 'id', 'id', 'sem'),
    one('-S, --sem-key <KEY>', 'remove the semaphore set with this key (repeatable; as ipcrm -S)', 'key', 'key', 'sem'),
    one('-q, --queue-id <ID>', 'remove the message queue with this id (repeatable; as ipcrm -q)', 'id', 'id', 'msg'),
    one('-Q, --queue-key <KEY>', 'remove the message queue with this key (repeatable; as ipcrm -Q)', 'key', 'key', 'msg'),
    {
      flags: '-a, --all [TYPE]', description: 'remove every segment you may remove (with --yes); TYPE shm, sem, msg or all (every kind), as ipcrm --all=TYPE',
      choices: ['shm', 'sem', 'msg', 'all'], conflicts: { with: [...byName, 'orphans'] },
      otherChoice: (type) => `--all=${type}: TYPE is shm (segments), sem (semaphore sets), msg (message queues) or all`,
    },
    {
      flags: '-y, --yes', description: 'confirm --all, or --orphans --all-namespaces',
      goesWith: { when: (o) => (o.all !== undefined && o.all !== false) || o.allNamespaces === true, words: '--all, or --orphans --all-namespaces' },
    },
    orphans('remove the segments nobody has attached whose creator and last user are known to be gone (a pid of 0, not visible from this PID namespace, is not gone), and the semaphore sets and queues nobody uses (see shmkit-rm(1)); each is looked at again right before it goes, and one in use since is left'),
    OLDER_THAN,
    {
      flags: '-n, --dry-run', description: 'with --all or --orphans: print what would go, remove nothing',
      goesWith: { when: (o) => (o.all !== undefined && o.all !== false) || o.orphans === true, words: '--all or --orphans' },
    },
    { flags: '-v, --verbose', description: 'say what is removed, on stderr' },
    NAMESPACE,
    {
      ...allNamespaces('with --orphans: the orphans of every IPC namespace on the host (as root), listed under a line naming each; ' +
        'removed only with --yes'),
      goesWith: { when: (o) => o.orphans === true, words: '--orphans' },
    },
  ];
  declareOptions(program.command('rm')
    .aliases(['remove', 'delete', 'del'])
    .summary('remove segments, semaphore sets and queues (IPC_RMID) by id or key, all of yours, or the orphans')
    .description('Remove segments with IPC_RMID. A segment still attached is marked dest and goes when the last ' +
      'process detaches. Goes on past a failure, and exits 1 if any removal failed. Ids can also be given as ' +
      'arguments, as to ipcrm (shmkit rm 5 7), and ipcrm\'s -m ID and -M KEY work too, as do -s, -S, -q and -Q for ' +
      'semaphore sets and message queues (processes waiting on one wake with EIDRM). An orphan set is one nobody ' +
      'waits on whose every semaphore was last touched by a process that is gone (a set never touched is left); an ' +
      'orphan queue is an empty one nobody waits on whose last sender and receiver are both gone.')
    .argument('[ID...]', 'ids of segments to remove'), OPTIONS)
    .addHelpText('after', footer('rm', HELP))
    .action(async (ids: string[], opts: Opts) => {
      for (const text of ids) named.push({ kind: 'positional', text });
      return (await import('./rm.run.js')).run(opts, named);
    });
}
