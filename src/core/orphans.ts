// Orphans: segments nobody has attached whose creator and last user are both gone. Nothing will ever detach them,
// and nothing that made them is left to remove them.
//
// A segment made by a create command (ipcmk, say) for a process that has yet to come is one too, from the moment its
// creator exits: olderThan leaves out those touched (created, changed, attached or detached) more recently.
//
// A pid of 0 in the kernel's record means "not visible from this PID namespace" (the kernel translates every pid
// into the reader's namespace, and one it cannot name reads 0): a sidecar container or unshare(CLONE_NEWPID) sharing the
// IPC namespace sees the host's processes that way. Unknown is never dead: such a segment is no orphan. The one 0
// that says "nobody" is lpid on a segment never attached (no attach or detach time): there is no last user then.
import { pidAlive } from './attached.js';
import { isGone } from './errors.js';
import { readSegment, removeSegment } from './control.js';
import type { SegmentInfo } from './types.js';

export interface OrphanOptions {
  /** Only segments whose last change, attach and detach are all at least this many seconds ago. */
  olderThan?: number;
  /** Now, in seconds since the epoch (for tests). */
  now?: number;
  /** Whether a pid is alive (for tests). */
  alive?: (pid: number) => boolean;
}

/** Seconds since the segment was last created or changed, attached or detached. */
export function idleSeconds(s: SegmentInfo, now: number = Date.now() / 1000): number {
  return now - Math.max(s.ctime, s.atime, s.dtime);
}

/** Whether the creator and the last user are both known to be gone (see above for what a pid of 0 means). */
export function usersGone(s: SegmentInfo, alive: (pid: number) => boolean = pidAlive): boolean {
  const creatorGone = s.cpid > 0 && !alive(s.cpid);
  const neverUsed = s.lpid === 0 && s.atime === 0 && s.dtime === 0;
  const lastUserGone = neverUsed || (s.lpid > 0 && !alive(s.lpid));
  return creatorGone && lastUserGone;
}

/** opts may also be the alive function alone, as in earlier versions. */
export function isOrphan(s: SegmentInfo, opts: OrphanOptions | ((pid: number) => boolean) = {}): boolean {
  if (typeof opts === 'function') opts = { alive: opts };
  if (s.dest || s.nattch !== 0 || !usersGone(s, opts.alive)) return false;
  return opts.olderThan === undefined || idleSeconds(s, opts.now) >= opts.olderThan;
}

export function findOrphans(segments: SegmentInfo[], opts: OrphanOptions | ((pid: number) => boolean) = {}): SegmentInfo[] {
  return segments.filter((s) => isOrphan(s, opts));
}

/** What removeOrphan did: removed it, left it (no longer an orphan), or found it gone already. */
export type OrphanRemoval = 'removed' | 'in-use' | 'gone';

/**
 * Removes a segment found to be an orphan, if it still is one: its record is read again immediately before the
 * IPC_RMID, so that a process that attached it (or a creator seen alive) since the listing keeps it. Between that look
 * and the removal there is nothing but the liveness checks: no output, no other segment.
 */
export function removeOrphan(s: SegmentInfo, opts: OrphanOptions = {}): OrphanRemoval {
  let now: SegmentInfo;
  try {
    now = readSegment(s.id);
  } catch (e) {
    if (isGone((e as { sys?: unknown }).sys)) return 'gone';
    throw e;
  }
  if (now.key !== s.key || !isOrphan(now, opts)) return 'in-use';
  try {
    removeSegment({ id: s.id });
  } catch (e) {
    if (isGone((e as { sys?: unknown }).sys)) return 'gone';
    throw e;
  }
  return 'removed';
}
