import type { Command } from 'commander';
import { footer, SEED_KEY_TEXT, type CommandHelp } from '../help.js';
import type { Opts } from './demo.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit demo --interval 500ms'],
    ['shmkit demo --sync --count 10 --interval 200ms'],
  ],
};

export function register(program: Command): void {
  program.command('demo')
    .summary('the seed\'s whole scene in one terminal: writer and reader as two processes')
    .description('Run shmkit writer and shmkit reader as two processes on one key and show their output, each line ' +
      'prefixed [writer] or [reader]: the tutorial\'s two terminals in one. The reader starts first and the writer once ' +
      'the reader has the segment attached, so the demo ends at any count and interval; if one side ends badly the ' +
      'other is stopped; signals are passed on to both.')
    .option('-k, --key <KEY>', 'the key', SEED_KEY_TEXT)
    .option('-n, --count <N>', 'how many blocks', '5')
    .option('--interval <DURATION>', 'the writer\'s pause after each block, and the reader\'s between polls', '3s')
    .option('--sync', 'lockstep: every block exactly once')
    .addHelpText('after', footer('demo', HELP))
    .action(async (opts: Opts) => (await import('./demo.run.js')).run(opts));
}
