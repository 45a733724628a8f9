// The work of `shmkit writer`, loaded only when that command runs.
import { sessionKey } from '../options.js';
import type { Command } from 'commander';
import { runWriter } from '../../core/demo/writer.js';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { formatKey, parseDuration, parseKey, parsePositive } from '../../core/parse.js';
import { InputError } from '../../core/errors.js';
import { LineSink, signalController } from '../lines.js';
import { notice } from '../output.js';

export
interface Opts { key: string; count: string; interval: string; sync?: boolean }

export async function run(opts: Opts): Promise<void> {
  const key = sessionKey(opts.key);
  const count = parsePositive(opts.count, 'count');
  const intervalMs = parseDuration(opts.interval);
  const sink = new LineSink(intervalMs === 0);
  const signal = signalController();
  try {
    await runWriter({
      key, count, intervalMs, sync: opts.sync ?? false, signal,
      out: (line) => sink.add(line + '\n'),
      note: (m) => {
        sink.flush();
        notice('writer', m);
      },
    });
  } finally {
    sink.flush();
  }
}
