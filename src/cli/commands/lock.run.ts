// The work of `shmkit lock` and `shmkit unlock`, loaded only when one runs.
import { lockSegment } from '../../core/control.js';
import { eachReporting } from '../errors.js';
import { targetFrom, positionalId } from '../options.js';

/** Each id in turn, going on past a failure as rm does (one line each, exit 1 if any failed); or the one target. */
export function run(opts: { id?: string; key?: string; ftok?: string }, ids: string[], lock: boolean): void {
  const command = lock ? 'lock' : 'unlock';
  if (ids.length <= 1) {
    lockSegment(targetFrom(opts, ids[0]), lock);
    return;
  }
  if (opts.id !== undefined || opts.key !== undefined || opts.ftok !== undefined) targetFrom(opts, ids[0]); // refuses both
  const targets = ids.map((text) => ({ id: positionalId(text) })); // all parsed first: bad input changes nothing
  eachReporting(command, command, targets, (t) => lockSegment(t, lock));
}
