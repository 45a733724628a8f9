// The work of `shmkit rm`, loaded only when that command runs.
import { InputError, ShmkitError, isGone } from '../../core/errors.js';
import { ReportedFailure, eachReporting, messageFor } from '../errors.js';
import { listSegments } from '../../core/list.js';
import { userName } from '../../core/names.js';
import { findOrphans, removeOrphan } from '../../core/orphans.js';
import { formatKey, parseId, parseKey } from '../../core/parse.js';
import { readSegment, removeSegment, resolveId } from '../../core/control.js';
import type { SegmentInfo, SegmentTarget } from '../../core/types.js';
import { ftokFrom, orphanOptions, positionalId } from '../options.js';
import { print, notice } from '../output.js';

export
interface Opts { id?: string[]; key?: string[]; all?: boolean | string; yes?: boolean; orphans?: boolean; olderThan?: string; dryRun?: boolean; verbose?: boolean }

function canRemove(s: SegmentInfo, euid: number): boolean {
  return euid === 0 || s.uid === euid || s.cuid === euid;
}

function describe(s: SegmentInfo): string {
  return `segment ${s.id} (key ${formatKey(s.key)}, ${s.size} bytes, owner ${userName(s.uid) ?? s.uid}${s.nattch ? `, ${s.nattch} attached` : ''})`;
}

/** A segment named on the command line: by an option, or an id given as an argument. */
export interface Named {
  kind: 'id' | 'key' | 'ftok' | 'positional';
  text: string;
}

export function run(opts: Opts, named: Named[]): void {
  const all = opts.all !== undefined && opts.all !== false; // --all, or --all=shm as ipcrm takes it
  if (named.some((n) => n.kind === 'positional') && (all || opts.orphans)) {
    throw new InputError(`ids and ${all ? '--all' : '--orphans'} cannot be used together`);
  }
  const modes = [named.length > 0, all, opts.orphans === true].filter(Boolean).length;
  if (modes === 0) throw new InputError('say what to remove: --id ID, --key KEY, --all --yes or --orphans');
  const orphans = orphanOptions(opts);

  if (all || opts.orphans) {
    const euid = process.geteuid?.() ?? 0;
    const segments = listSegments();
    const pool = orphans ? findOrphans(segments, orphans) : segments;
    const doomed = pool.filter((s) => canRemove(s, euid) && !(all && s.dest));
    if (doomed.length === 0) {
      notice('rm', `nothing to remove: ${orphans ? 'no segment you may remove is an orphan' : 'no segment you may remove'}`);
      return;
    }
    if (opts.dryRun) {
      for (const s of doomed) print(`would remove ${describe(s)}\n`);
      return;
    }
    if (all && !opts.yes) {
      const list = doomed.length ? doomed.map((s) => s.id).join(', ') : 'none';
      throw new InputError(`--all would remove ${doomed.length} segment${doomed.length === 1 ? '' : 's'} (ids: ${list}); add --yes to remove them`);
    }
    let failed = 0;
    for (const s of doomed) {
      // Any output comes before the last look at the segment (removeOrphan's), never between it and the removal:
      // a stderr that blocks must not widen the window in which an attacher could come.
      if (opts.verbose) notice('rm', `removing ${describe(s)}`);
      try {
        if (orphans) {
          if (removeOrphan(s, orphans) === 'in-use' && opts.verbose) notice('rm', `left segment ${s.id}: in use again since it was listed`);
        } else {
          removeSegment({ id: s.id });
        }
      } catch (e) {
        // Gone since the listing (another process removed it): nothing left to do.
        if (e instanceof ShmkitError && isGone(e.sys)) continue;
        failed++;
        notice('rm', messageFor(e, 'remove'));
      }
    }
    if (failed) throw new ReportedFailure(failed, doomed.length);
    return;
  }

  // Parse every argument first: bad input removes nothing.
  const targets = named.map((n) => {
    const t: SegmentTarget = n.kind === 'id' ? { id: parseId(n.text) } : n.kind === 'positional' ? { id: positionalId(n.text) }
      : { key: n.kind === 'ftok' ? ftokFrom(n.text) : parseKey(n.text) };
    if ('key' in t && t.key === 0) throw new InputError(`illegal key (${n.text}): key 0 is IPC_PRIVATE`, 'remove private segments by --id');
    return t;
  });
  eachReporting('rm', 'remove', targets, (t) => {
    const id = resolveId(t);
    // The same words as for --all and --orphans; the record is read before the removal, as there.
    if (opts.verbose) notice('rm', `removing ${describe(readSegment(id))}`);
    removeSegment({ id });
  });
}
