// Orphans: segments nobody has attached whose creator and last user are both gone. Nothing will ever detach them,
// and nothing that made them is left to remove them.
//
// A segment made by \`shmkit create\` or \`ipcmk\` for a process that has yet to come is one too, from the moment its
// creator exits: olderThan leaves out those touched (created, changed, attached or detached) more recently.
import { pidAlive } from './attached.js';
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

/** opts may also be the alive function alone, as in earlier versions. */
export function isOrphan(s: SegmentInfo, opts: OrphanOptions | ((pid: number) => boolean) = {}): boolean {
  if (typeof opts === 'function') opts = { alive: opts };
  const alive = opts.alive ?? pidAlive;
  if (s.dest || s.nattch !== 0 || alive(s.cpid) || alive(s.lpid)) return false;
  return opts.olderThan === undefined || idleSeconds(s, opts.now) >= opts.olderThan;
}

export function findOrphans(segments: SegmentInfo[], opts: OrphanOptions | ((pid: number) => boolean) = {}): SegmentInfo[] {
  return segments.filter((s) => isOrphan(s, opts));
}
