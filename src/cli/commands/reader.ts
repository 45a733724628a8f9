import type { Command } from 'commander';
import { declareOptions, INTERVAL_HINT, SESSION_FTOK, sessionKeyOption, NAMESPACE, type OptionSpec } from '../spec.js';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { formatKey } from '../../core/parse.js';
import { exitSentence } from '../errors.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './reader.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit reader', 'terminal 2: as ./shm_read does'],
    ['shmkit reader --sync --quiet', 'counts missing, duplicate and torn blocks'],
    ["shmkit reader --sync --json | jq -c '{seq, letter}'"],
  ],
  exit: exitSentence({ 0: 'done', 1: 'failed, or (--sync) blocks were missing, duplicated or torn', 2: 'bad input', 141: 'stdout closed' }),
};

const OPTIONS: OptionSpec[] = [
  sessionKeyOption(formatKey(SEED_KEY)),
  SESSION_FTOK,
  { flags: '--interval <DURATION>', description: `between polls: ${INTERVAL_HINT}; not used with --sync`, default: '3s' },
  { flags: '--sync', description: 'lockstep with shmkit writer --sync' },
  { flags: '-J, --json', description: 'one JSON object per block: {seq, poll, bytes, letter, data, torn, time}' },
  { flags: '-q, --quiet', description: 'print no blocks, only the closing lines (and the --sync summary)' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('reader')
    .summary('the seed\'s polling reader; with --sync, every block exactly once')
    .description('The tutorial\'s reader (shm_read.c), byte-compatible with it: it polls struct shmseg under the key ' +
      'every interval and prints buf and cnt until the writer sets complete. If the writer dies first, it says so ' +
      'within two intervals and exits 3 instead of polling forever. It removes only a segment it made itself (when it ' +
      'came first) and nobody uses, never one it only opened: what a dead writer left is for shmkit rm --orphans. ' +
      'With --sync it takes each block from a shmkit writer --sync in lockstep, checks its sequence number and ' +
      'contents, and at the end prints on stderr how many blocks were missing, duplicated or torn (all 0, or exit 1).'), OPTIONS)
    .addHelpText('after', footer('reader', HELP))
    .action(async (opts: Opts) => (await import('./reader.run.js')).run(opts));
}
