// The work of `shmkit dump`, loaded only when that command runs.
import { closeSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { dumpSegment } from '../../core/dump.js';
import { InputError, nodeErrnoText } from '../../core/errors.js';
import { throwIfInterrupted, yieldToEventLoop } from '../../core/demo/protocol.js';
import { writeAll } from '../io.js';
import { runControl } from '../lines.js';
import { targetFrom } from '../options.js';
import { notice } from '../output.js';

export
interface Opts { id?: string; key?: string; ftok?: string; output?: string }

export async function run(opts: Opts, id?: string): Promise<void> {
  const target = targetFrom(opts, id);
  const control = runControl();
  let fd = 1;
  let partial: string | null = null;
  if (opts.output !== undefined) {
    partial = join(dirname(opts.output), `.${basename(opts.output)}.shmkit-partial`);
    try {
      fd = openSync(partial, 'w', 0o600);
    } catch (e) {
      throw new InputError(`cannot write ${opts.output}: ${nodeErrnoText(e)}`);
    }
  }
  let done = false;
  try {
    const pieces = dumpSegment(target);
    let n = 0;
    for (;;) {
      const next = pieces.next();
      if (next.done) {
        if (next.value.changed) notice('dump', 'the segment changed while it was read: the bytes may be of no single moment (the trailer says so)');
        break;
      }
      writeAll(fd, next.value);
      // Let a signal's handler run now and then: a dump of gigabytes stops within a second of SIGINT.
      if (++n % 64 === 0) {
        await yieldToEventLoop();
        if (control.signal.aborted) {
          pieces.return(undefined as never);
          throwIfInterrupted(control.signal);
        }
      }
    }
    done = true;
  } finally {
    if (partial !== null) {
      closeSync(fd);
      if (done && opts.output !== undefined) renameSync(partial, opts.output);
      else unlinkSync(partial);
    }
  }
}
