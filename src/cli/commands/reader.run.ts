// The work of `shmkit reader`, loaded only when that command runs.
import { sessionKey } from '../options.js';
import { runReader, type Block } from '../../core/demo/reader.js';
import { OperationError } from '../../core/errors.js';
import { parseDuration, } from '../../core/parse.js';
import { toJson } from '../format/json.js';
import { LineSink, runControl } from '../lines.js';
import { notice, report } from '../output.js';
import { waitingNotice } from '../explain.js';

export
interface Opts { key: string; ftok?: string; interval: string; sync?: boolean; json?: boolean; quiet?: boolean }

export async function run(opts: Opts): Promise<void> {
  const key = sessionKey(opts.key, opts.ftok);
  const intervalMs = parseDuration(opts.interval);
  const sync = opts.sync ?? false;
  const control = runControl();
  // The block's bytes go out as they are, as shm_read.c prints them: its text is one character per byte (latin1),
  // and so is the sink's encoding; JSON is UTF-8, as JSON is.
  const sink = new LineSink(sync || intervalMs === 0, control, 1, opts.json ? 'utf8' : 'latin1');
  const onBlock = opts.quiet
    ? undefined
    : opts.json
      ? (b: Block) => sink.add(toJson({
          seq: b.seq, poll: b.poll, bytes: b.bytes, letter: b.letter, data: b.letter === null ? b.text() : undefined,
          torn: b.torn, time: b.time.toISOString(),
        }, 0) + '\n')
      : (b: Block) => sink.addBytes('segment contains : \n"', b.data, `"\nReading Process: Shared Memory: Read ${b.bytes} bytes\n`);
  const r = await sink.finish(runReader({
    key, intervalMs, sync, signal: control.signal, ...(onBlock ? { onBlock } : {}),
    out: (line) => (opts.json ? undefined : sink.add(line + '\n')),
    onWaiting: (w) => notice('reader', waitingNotice(w)),
  }));
  if (sync) {
    report(`${r.blocks} blocks: ${r.missing} missing, ${r.duplicate} duplicate, ${r.torn} torn`);
    if (r.missing || r.duplicate || r.torn) throw new OperationError('the lockstep lost its step: some blocks were missing, duplicated or torn');
  }
}
