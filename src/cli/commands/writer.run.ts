// The work of `shmkit writer`, loaded only when that command runs.
import { sessionKey } from '../options.js';
import { runWriter } from '../../core/demo/writer.js';
import { parseDuration, parsePositive } from '../../core/parse.js';
import { LineSink, runControl } from '../lines.js';
import { notice } from '../output.js';
import { waitingNotice } from '../explain.js';

export
interface Opts { key: string; ftok?: string; count: string; interval: string; sync?: boolean }

export async function run(opts: Opts): Promise<void> {
  const key = sessionKey(opts.key, opts.ftok);
  const count = parsePositive(opts.count, 'count');
  const intervalMs = parseDuration(opts.interval);
  const control = runControl();
  const sink = new LineSink(intervalMs === 0, control);
  await sink.finish(runWriter({
    key, count, intervalMs, sync: opts.sync ?? false, signal: control.signal,
    out: (line) => sink.add(line + '\n'),
    onWaiting: (w) => notice('writer', waitingNotice(w)),
  }));
}
