// The work of `shmkit rm`, loaded only when that command runs.
import { InputError, ShmkitError, isGone } from '../../core/errors.js';
import { ReportedFailure, eachReporting, messageFor } from '../errors.js';
import { listSegments } from '../../core/list.js';
import { userName } from '../../core/names.js';
import { findOrphans, removeOrphan } from '../../core/orphans.js';
import { formatKey, parseId, parseKey } from '../../core/parse.js';
import { NOUN, readSegment, removeSegment, resolveId } from '../../core/control.js';
import type { SegmentInfo, SegmentTarget } from '../../core/types.js';
import { type QueueInfo, type SemaphoreSetInfo, listQueues, listSemaphoreSets, removeIpcObject, statQueue, statSemaphoreSet } from '../../core/kinds.js';
import { findQueueOrphans, findSetOrphans, removeKindOrphan } from '../../core/kind-orphans.js';
import { ftokFrom, orphanOptions, positionalId } from '../options.js';
import { print, notice } from '../output.js';
import { checkVisits, eachNamespace, namespaceLine } from '../namespaces.js';

export
interface Opts {
  id?: string[]; key?: string[]; all?: boolean | string; yes?: boolean; orphans?: boolean; olderThan?: string; dryRun?: boolean; verbose?: boolean;
  allNamespaces?: boolean;
}

function canRemove(s: { uid: number; cuid: number }, euid: number): boolean {
  return euid === 0 || s.uid === euid || s.cuid === euid;
}

function describe(s: SegmentInfo): string {
  return `segment ${s.id} (key ${formatKey(s.key)}, ${s.size} bytes, owner ${userName(s.uid) ?? s.uid}${s.nattch ? `, ${s.nattch} attached` : ''})`;
}

/** An object named on the command line: by an option, or a segment's id given as an argument. */
export interface Named {
  kind: 'id' | 'key' | 'ftok' | 'positional';
  text: string;
  /** Which kind of object: a segment unless an option for a set or a queue named it. */
  ipc?: 'shm' | 'sem' | 'msg';
}

/** A semaphore set or queue in the words rm says it with. */
function describeKind(ipc: 'sem' | 'msg', o: SemaphoreSetInfo | QueueInfo): string {
  const owner = userName(o.uid) ?? o.uid;
  return ipc === 'sem'
    ? `semaphore set ${o.id} (key ${formatKey(o.key)}, ${(o as SemaphoreSetInfo).nsems} semaphores, owner ${owner})`
    : `message queue ${o.id} (key ${formatKey(o.key)}, ${(o as QueueInfo).qnum} messages, owner ${owner})`;
}

type Doomed = { ipc: 'shm'; o: SegmentInfo } | { ipc: 'sem'; o: SemaphoreSetInfo } | { ipc: 'msg'; o: QueueInfo };

export function run(opts: Opts, named: Named[]): void {
  const all = opts.all !== undefined && opts.all !== false; // --all, or --all=shm as ipcrm takes it
  if (named.some((n) => n.kind === 'positional') && (all || opts.orphans)) {
    throw new InputError(`ids and ${all ? '--all' : '--orphans'} cannot be used together`);
  }
  const modes = [named.length > 0, all, opts.orphans === true].filter(Boolean).length;
  if (modes === 0) throw new InputError('say what to remove: --id ID, --key KEY (--sem-id, --queue-key, ...), --all --yes or --orphans');
  const orphans = orphanOptions(opts);

  if (all || opts.orphans) {
    // --all alone is every segment (shmkit's --all has always been so); --all=TYPE as ipcrm takes it; orphans of every kind.
    const type = typeof opts.all === 'string' ? opts.all : 'shm';
    if (opts.allNamespaces) {
      everyNamespace(opts, orphans);
      return;
    }
    const doomed = doomedHere(all, type, orphans);
    const what = orphans ? 'nothing you may remove is an orphan' : `no ${type === 'all' ? 'object' : NOUN[type as 'shm']} you may remove`;
    if (doomed.length === 0) {
      notice('rm', `nothing to remove: ${what}`);
      return;
    }
    if (opts.dryRun) {
      for (const d of doomed) print(`would remove ${said(d)}\n`);
      return;
    }
    if (all && !opts.yes) {
      const counts = (['shm', 'sem', 'msg'] as const).map((k) => [k, doomed.filter((d) => d.ipc === k)] as const).filter(([, l]) => l.length > 0)
        .map(([k, l]) => `${l.length} ${NOUN[k]}${l.length === 1 ? '' : 's'} (ids: ${l.map((d) => d.o.id).join(', ')})`);
      throw new InputError(`--all would remove ${counts.join(' and ')}; add --yes to remove them`);
    }
    const failed = removeAll(doomed, orphans, opts.verbose === true, '');
    if (failed) throw new ReportedFailure(failed, doomed.length);
    return;
  }

  // Parse every argument first: bad input removes nothing.
  const targets = named.map((n) => {
    const t: SegmentTarget = n.kind === 'id' ? { id: parseId(n.text) } : n.kind === 'positional' ? { id: positionalId(n.text) }
      : { key: n.kind === 'ftok' ? ftokFrom(n.text) : parseKey(n.text) };
    if ('key' in t && t.key === 0) throw new InputError(`illegal key (${n.text}): key 0 is IPC_PRIVATE`, `remove private ${NOUN[n.ipc ?? 'shm']}s by id`);
    return { t, ipc: n.ipc ?? 'shm' };
  });
  eachReporting('rm', 'remove', targets, ({ t, ipc }) => {
    if (ipc === 'shm') {
      const id = resolveId(t);
      // The same words as for --all and --orphans; the record is read before the removal, as there.
      if (opts.verbose) notice('rm', `removing ${describe(readSegment(id))}`);
      removeSegment({ id });
      return;
    }
    if (opts.verbose) notice('rm', `removing ${describeKind(ipc, ipc === 'sem' ? statSemaphoreSet(t) : statQueue(t))}`);
    removeIpcObject(ipc, t);
  });
}

const said = (d: Doomed) => (d.ipc === 'shm' ? describe(d.o) : describeKind(d.ipc, d.o));

/** What --all (of a type) or --orphans would remove in this namespace: what this user may remove, of the kinds asked. */
function doomedHere(all: boolean, type: string, orphans: ReturnType<typeof orphanOptions>): Doomed[] {
  const euid = process.geteuid?.() ?? 0;
  const want = { shm: orphans !== null || type === 'shm' || type === 'all', sem: orphans !== null || type === 'sem' || type === 'all', msg: orphans !== null || type === 'msg' || type === 'all' };
  const doomed: Doomed[] = [];
  if (want.shm) {
    const segments = listSegments();
    for (const o of orphans ? findOrphans(segments, orphans) : segments) if (canRemove(o, euid) && !(all && o.dest)) doomed.push({ ipc: 'shm', o });
  }
  if (want.sem) {
    const sets = listSemaphoreSets();
    for (const o of orphans ? findSetOrphans(sets, orphans) : sets) if (canRemove(o, euid)) doomed.push({ ipc: 'sem', o });
  }
  if (want.msg) {
    const queues = listQueues();
    for (const o of orphans ? findQueueOrphans(queues, orphans) : queues) if (canRemove(o, euid)) doomed.push({ ipc: 'msg', o });
  }
  return doomed;
}

/** Removes each, going on past a failure (one line each); returns how many failed. where: " in IPC namespace N" or ''. */
function removeAll(doomed: Doomed[], orphans: ReturnType<typeof orphanOptions>, verbose: boolean, where: string): number {
  let failed = 0;
  for (const d of doomed) {
    // Any output comes before the last look at the object (removeOrphan's), never between it and the removal:
    // a stderr that blocks must not widen the window in which an attacher could come.
    if (verbose) notice('rm', `removing ${said(d)}${where}`);
    try {
      if (d.ipc === 'shm') {
        if (orphans) {
          if (removeOrphan(d.o, orphans) === 'in-use' && verbose) notice('rm', `left segment ${d.o.id}${where}: in use again since it was listed`);
        } else {
          removeSegment({ id: d.o.id });
        }
      } else if (orphans) {
        if (removeKindOrphan(d.ipc, d.o, orphans) === 'in-use' && verbose) notice('rm', `left ${NOUN[d.ipc]} ${d.o.id}${where}: in use again since it was listed`);
      } else {
        removeIpcObject(d.ipc, { id: d.o.id });
      }
    } catch (e) {
      // Gone since the listing (another process removed it): nothing left to do.
      if (e instanceof ShmkitError && isGone(e.sys)) continue;
      failed++;
      notice('rm', `${messageFor(e, 'remove')}${where}`);
    }
  }
  return failed;
}

/**
 * rm --orphans --all-namespaces: the orphans of every namespace. With --yes they are removed, each looked at again
 * inside its namespace right before it goes; with --dry-run, or without --yes, what would go is listed under a line
 * naming each namespace (and without --yes, nothing is removed).
 */
function everyNamespace(opts: Opts, orphans: ReturnType<typeof orphanOptions>): void {
  const remove = opts.yes === true && !opts.dryRun;
  let failed = 0;
  let total = 0;
  const visits = eachNamespace((ns) => {
    const doomed = doomedHere(false, 'all', orphans);
    total += doomed.length;
    if (remove) failed += removeAll(doomed, orphans, opts.verbose === true, ` in IPC namespace ${ns.inode}`);
    return doomed;
  });
  const found = visits.visited.filter((v) => v.result?.length);
  if (!remove) {
    for (const v of found) print(namespaceLine(v) + (v.result ?? []).map((d) => `  would remove ${said(d)}\n`).join(''));
  }
  if (total === 0) notice('rm', 'nothing to remove: nothing you may remove is an orphan, in any IPC namespace');
  checkVisits('rm', visits);
  if (failed) throw new ReportedFailure(failed, total);
  if (!remove && !opts.dryRun && total > 0) {
    throw new InputError(`--orphans --all-namespaces would remove ${total} object${total === 1 ? '' : 's'} in ${found.length} IPC namespace${found.length === 1 ? '' : 's'} (listed above); add --yes to remove them`);
  }
}
