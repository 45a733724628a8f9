// Orphans: segments nobody has attached whose creator and last user are both gone. Nothing will ever detach them,
// and nothing that made them is left to remove them.
import { pidAlive } from './attached.js';
import type { SegmentInfo } from './types.js';

export function isOrphan(s: SegmentInfo, alive: (pid: number) => boolean = pidAlive): boolean {
  return !s.dest && s.nattch === 0 && !alive(s.cpid) && !alive(s.lpid);
}

export function findOrphans(segments: SegmentInfo[], alive: (pid: number) => boolean = pidAlive): SegmentInfo[] {
  return segments.filter((s) => isOrphan(s, alive));
}
