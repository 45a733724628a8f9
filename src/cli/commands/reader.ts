import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import { runReader, type Block } from '../../core/demo/reader.js';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { InputError, OperationError } from '../../core/errors.js';
import { formatKey, parseDuration, parseKey } from '../../core/parse.js';
import { toJson } from '../format/json.js';
import { LineSink, signalController } from '../lines.js';
import { notice } from '../output.js';

interface Opts { key: string; interval: string; sync?: boolean; json?: boolean; quiet?: boolean }

const HELP: CommandHelp = {
  examples: [
    ['shmkit reader', 'terminal 2: as ./shm_read does'],
    ['shmkit reader --sync --quiet', 'counts missing, duplicate and torn blocks'],
    ["shmkit reader --sync --json | jq -c '{seq, letter}'"],
  ],
  exit: '0 done; 1 failed, or (--sync) blocks were missing, duplicated or torn; 3 the writer died; 130/143 SIGINT/SIGTERM.',
};

export function register(program: Command): void {
  program.command('reader')
    .summary('the seed\'s polling reader; with --sync, every block exactly once')
    .description('The tutorial\'s reader (shm_read.c), byte-compatible with it: it polls struct shmseg under the key ' +
      'every interval and prints buf and cnt until the writer sets complete. If the writer dies first, it says so ' +
      'within two intervals and exits 3 instead of polling forever. ' +
      'With --sync it takes each block from a shmkit writer --sync in lockstep, checks its sequence number and ' +
      'contents, and at the end prints on stderr how many blocks were missing, duplicated or torn (all 0, or exit 1).')
    .option('-k, --key <KEY>', 'the key', formatKey(SEED_KEY))
    .option('--interval <DURATION>', 'between polls: 3s, 150ms, 0 (a plain number is milliseconds); not used with --sync', '3s')
    .option('--sync', 'lockstep with shmkit writer --sync')
    .option('--json', 'one JSON object per block: {seq, poll, bytes, letter, data, torn, time}')
    .option('-q, --quiet', 'print no blocks, only the closing lines (and the --sync summary)')
    .addHelpText('after', footer('reader', HELP))
    .action((opts: Opts) => run(opts));
}

async function run(opts: Opts): Promise<void> {
  const key = parseKey(opts.key);
  if (key === 0) throw new InputError('key 0 is IPC_PRIVATE: a writer and a reader in other processes could not meet there');
  const intervalMs = parseDuration(opts.interval);
  const sync = opts.sync ?? false;
  const sink = new LineSink(sync || intervalMs === 0);
  const { signal, dispose } = signalController();
  const onBlock = opts.quiet
    ? undefined
    : opts.json
      ? (b: Block) => {
        sink.add(toJson({
          seq: b.seq, poll: b.poll, bytes: b.bytes, letter: b.letter, data: b.letter === null ? b.text() : undefined,
          torn: b.torn, time: b.time.toISOString(),
        }, 0) + '\n');
      }
      : (b: Block) => sink.add(`segment contains : \n"${b.text()}"\nReading Process: Shared Memory: Read ${b.bytes} bytes\n`);
  try {
    const r = await runReader({
      key, intervalMs, sync, signal, ...(onBlock ? { onBlock } : {}),
      out: (line) => {
        if (!opts.json) sink.add(line + '\n');
      },
      note: (m) => {
        sink.flush();
        notice('reader', m);
      },
    });
    sink.flush();
    if (sync) {
      notice('reader', `${r.blocks} blocks: ${r.missing} missing, ${r.duplicate} duplicate, ${r.torn} torn`);
      if (r.missing || r.duplicate || r.torn) throw new OperationError('the lockstep lost its step: some blocks were missing, duplicated or torn');
    }
  } finally {
    sink.flush();
    dispose();
  }
}
