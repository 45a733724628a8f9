import type { Command } from 'commander';
import { declareOptions, SESSION_FTOK, sessionKeyOption, NAMESPACE, type OptionSpec } from '../spec.js';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { formatKey } from '../../core/parse.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './demo.run.js';


const HELP: CommandHelp = {
  examples: [
    ['shmkit demo --interval 500ms'],
    ['shmkit demo --sync --count 10 --interval 200ms'],
  ],
};

const OPTIONS: OptionSpec[] = [
  sessionKeyOption(formatKey(SEED_KEY)),
  SESSION_FTOK,
  { flags: '-n, --count <N>', description: 'how many blocks', default: '5' },
  { flags: '--interval <DURATION>', description: 'the writer\'s pause after each block, and the reader\'s between polls', default: '3s' },
  { flags: '--sync', description: 'lockstep: every block exactly once' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('demo')
    .summary('the seed\'s whole scene in one terminal: writer and reader as two processes')
    .description('Run shmkit writer and shmkit reader as two processes on one key and show their output, each line ' +
      'prefixed [writer] or [reader]: the tutorial\'s two terminals in one. The reader starts first and the writer once ' +
      'the reader has the segment attached, so the demo ends at any count and interval; if one side ends badly the ' +
      'other is stopped; signals are passed on to both.'), OPTIONS)
    .addHelpText('after', footer('demo', HELP))
    .action(async (opts: Opts) => (await import('./demo.run.js')).run(opts));
}
