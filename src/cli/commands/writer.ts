import type { Command } from 'commander';
import { declareOptions, INTERVAL_HINT, SESSION_FTOK, sessionKeyOption, NAMESPACE, type OptionSpec } from '../spec.js';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { formatKey } from '../../core/parse.js';
import { exitSentence } from '../errors.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './writer.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit writer', 'terminal 1: as ./shm_write does'],
    ['shmkit writer --sync --count 100000 --interval 0'],
    ['shmkit writer --key 0x4242 --count 10 --interval 500ms'],
  ],
  exit: exitSentence({ 0: 'done', 1: 'failed', 2: 'bad input', 3: '(--sync) the reader died first', 141: 'stdout closed (segment removed)' }),
};

const OPTIONS: OptionSpec[] = [
  sessionKeyOption(formatKey(SEED_KEY)),
  SESSION_FTOK,
  { flags: '-n, --count <N>', description: 'how many blocks', default: '5' },
  { flags: '--interval <DURATION>', description: `pause after each block: ${INTERVAL_HINT}`, default: '3s' },
  { flags: '--sync', description: 'lockstep with shmkit reader --sync: nothing lost, nothing repeated' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('writer')
    .summary('the seed\'s writer: blocks A, B, C ... into struct shmseg under key 0x1234')
    .description('The tutorial\'s writer (shm_write.c), byte-compatible with it: the same struct shmseg (1032 bytes), ' +
      'key, mode and output lines. It fills buf with 1023 copies of a letter and a NUL, COUNT times, then sets ' +
      'complete, detaches and removes the segment. Its C reader, and shmkit reader, can read it. ' +
      'With --sync it waits for a shmkit reader --sync to take each block (System V semaphores under the same key), ' +
      'so that every block arrives exactly once, in order, never torn, at full speed with --interval 0.'), OPTIONS)
    .addHelpText('after', footer('writer', HELP))
    .action(async (opts: Opts) => (await import('./writer.run.js')).run(opts));
}
