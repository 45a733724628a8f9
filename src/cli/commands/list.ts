import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './list.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit list'],
    ["shmkit list --json | jq '.[] | select(.nattch == 0) | .id'"],
    ['shmkit list --format ipcs --time', 'same bytes as: ipcs -m -t'],
    ['shmkit list --orphans'],
    ['shmkit list --orphans --older-than 1d --json', 'orphans untouched for a day'],
  ],
};

export function register(program: Command): void {
  program.command('list')
    .alias('ls')
    .summary('every segment on the system: a table, JSON, or ipcs -m exactly')
    .description('List every System V shared memory segment, read from /proc/sysvipc/shm (which shows them all, ' +
      'whatever their permissions), or from SHM_INFO and SHM_STAT_ANY where /proc is not there.')
    .option('--json', 'print a JSON array, one object per segment, as stat --json prints it')
    .option('-F, --format <FORMAT>', 'table, json or ipcs (byte for byte as ipcs -m)', 'table')
    .option('-t, --time', 'attach, detach and change times (as ipcs -m -t)')
    .option('-p, --pid', 'creator and last-operator pids (as ipcs -m -p)')
    .option('-c, --creator', 'creator and owner (as ipcs -m -c)')
    .option('--human', 'sizes as 4K, 1.5M (as ipcs --human)')
    .option('-b, --bytes', 'sizes in bytes (the default; as ipcs -b)')
    .option('--orphans', 'only the segments nobody has attached whose creator and last user are known to be gone (a pid of 0, not visible from this PID namespace, is not gone)')
    .option('--older-than <AGE>', 'with --orphans: only those nobody has touched (created, changed, attached, detached) for AGE: 90s, 10m, 2h, 7d')
    .addHelpText('after', footer('list', HELP))
    .action(async (opts: Opts) => (await import('./list.run.js')).run(opts));
}
