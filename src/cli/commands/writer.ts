import type { Command } from 'commander';
import { footer, SEED_KEY_TEXT, type CommandHelp } from '../help.js';
import type { Opts } from './writer.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit writer', 'terminal 1: as ./shm_write does'],
    ['shmkit writer --sync --count 100000 --interval 0'],
    ['shmkit writer --key 0x4242 --count 10 --interval 500ms'],
  ],
  exit: '0 done; 1 failed; 3 (--sync) the reader died first; 129/130/143 SIGHUP/SIGINT/SIGTERM, 141 stdout closed (segment removed).',
};

export function register(program: Command): void {
  program.command('writer')
    .summary('the seed\'s writer: blocks A, B, C ... into struct shmseg under key 0x1234')
    .description('The tutorial\'s writer (shm_write.c), byte-compatible with it: the same struct shmseg (1032 bytes), ' +
      'key, mode and output lines. It fills buf with 1023 copies of a letter and a NUL, COUNT times, then sets ' +
      'complete, detaches and removes the segment. Its C reader, and shmkit reader, can read it. ' +
      'With --sync it waits for a shmkit reader --sync to take each block (System V semaphores under the same key), ' +
      'so that every block arrives exactly once, in order, never torn, at full speed with --interval 0.')
    .option('-k, --key <KEY>', 'the key', SEED_KEY_TEXT)
    .option('-n, --count <N>', 'how many blocks', '5')
    .option('--interval <DURATION>', 'pause after each block: 3s, 150ms, 0 (a plain number is milliseconds)', '3s')
    .option('--sync', 'lockstep with shmkit reader --sync: nothing lost, nothing repeated')
    .addHelpText('after', footer('writer', HELP))
    .action(async (opts: Opts) => (await import('./writer.run.js')).run(opts));
}
