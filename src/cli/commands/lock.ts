import type { Command } from 'commander';
import { declareOptions, FTOK, ID, KEY, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';

const OPTIONS: OptionSpec[] = [ID, KEY, FTOK, NAMESPACE];

/** lock and unlock: one command each, the same shape. */
function declare(program: Command, lock: boolean): void {
  const name = lock ? 'lock' : 'unlock';
  const help: CommandHelp = {
    examples: lock
      ? [['shmkit lock 5 7', 'both stay in memory: never swapped out'], ['shmkit lock --key 0x1234'], ['shmkit stat 5', 'STATUS says locked']]
      : [['shmkit unlock 5 7', 'their pages may be swapped again'], ['shmkit unlock --ftok /srv/app']],
  };
  declareOptions(program.command(name)
    .summary(lock ? 'keep segments in memory (SHM_LOCK)' : 'let locked segments be swapped again (SHM_UNLOCK)')
    .description(lock
      ? 'Lock segments in memory with shmctl(SHM_LOCK): their pages are not swapped out (pages not yet touched are ' +
        'not brought in). Root (CAP_IPC_LOCK) may lock any; otherwise the owner or the creator, and the locked bytes ' +
        'count against the locked-memory limit (ulimit -l). list and stat show the segment as locked.'
      : 'Unlock segments with shmctl(SHM_UNLOCK): their pages may be swapped out again. Root (CAP_IPC_LOCK), ' +
        'the owner or the creator may.')
    .argument('[ID...]', `ids of segments to ${name}`), OPTIONS)
    .addHelpText('after', footer(name, help))
    .action(async (ids: string[], opts: Record<string, string | undefined>) => (await import('./lock.run.js')).run(opts, ids, lock));
}

export function register(program: Command): void {
  declare(program, true);
  declare(program, false);
}
