// The work of `shmkit rm`, loaded only when that command runs.
import { InputError, ShmkitError, SysError, isGone } from '../../core/errors.js';
import { ReportedFailure } from '../errors.js';
import { listSegments } from '../../core/list.js';
import { userName } from '../../core/names.js';
import { findOrphans, removeOrphan } from '../../core/orphans.js';
import { formatKey, parseId, parseKey } from '../../core/parse.js';
import { removeSegment } from '../../core/control.js';
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

/** ipcrm's words for each failure, with the errno and what to do. */
function failure(t: SegmentTarget, text: string, e: unknown): string {
  const what = 'id' in t ? `id (${text})` : `key (${text})`;
  const sys = e instanceof ShmkitError ? e.sys : e instanceof SysError ? e : undefined;
  if (!sys) return e instanceof Error ? e.message : String(e);
  switch (sys.code) {
    case 'EINVAL':
      return `invalid ${what}: no segment has that ${'id' in t ? 'id' : 'key'} (EINVAL)`;
    case 'ENOENT':
      return `invalid ${what}: no segment has that key (ENOENT)`;
    case 'EIDRM':
      return `already removed ${what} (EIDRM)`;
    case 'EPERM':
    case 'EACCES':
      return `permission denied for ${what} (${sys.code}): only its owner, its creator or root may remove it`;
    default:
      return `${'id' in t ? 'id' : 'key'} failed: ${what} ${sys.code} (${sys.description})`;
  }
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
        notice('rm', failure({ id: s.id }, String(s.id), e));
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
    return { t, text: n.text };
  });
  let failed = 0;
  for (const { t, text } of targets) {
    try {
      if (opts.verbose) notice('rm', `removing shared memory segment ${'id' in t ? `id ${t.id}` : `key ${formatKey(t.key)}`}`);
      removeSegment(t);
    } catch (e) {
      if (!(e instanceof ShmkitError) || e.kind !== 'operation') throw e;
      failed++;
      notice('rm', failure(t, text, e));
    }
  }
  if (failed) throw new ReportedFailure(failed, targets.length);
}
