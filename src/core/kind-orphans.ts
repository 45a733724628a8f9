// Orphan semaphore sets and message queues: objects nobody uses whose last users are known to be gone, as orphans.ts
// finds segments. With the same care: a pid of 0 is unknown (not visible from this PID namespace, or no operation
// yet), never dead, so an object that shows one is no orphan.
//
//   A set is an orphan when nobody waits on it (every ncount and zcount 0, and no process of this namespace is
//   blocked in semop on it) and every semaphore's last pid (GETPID: the last semop, SETVAL or SETALL, or the exit of
//   a process whose SEM_UNDO the kernel applied) is a process that is gone. A set made and never touched (ipcmk -S)
//   has pids of 0: it waits for a process yet to come, and is left.
//   A queue is an orphan when it is empty (a message in it is data someone may still want), nobody is blocked in
//   msgsnd or msgrcv on it, and its last sender and last receiver are both gone.
import { pidAlive } from './attached.js';
import { isGone } from './errors.js';
import { type QueueInfo, type SemaphoreSetInfo, type SemaphoreState, removeQueue, removeSemaphoreSet, semaphoresOf, statQueue, statSemaphoreSet } from './kinds.js';
import type { OrphanOptions } from './orphans.js';
import { scanWaiters, type Waiters } from './waiters.js';

const idle = (times: number[], now: number) => now - Math.max(...times);

function setIsOrphan(s: SemaphoreSetInfo, opts: OrphanOptions, waiters: Waiters): boolean {
  if (s.nsems === 0 || (waiters.sem.get(s.id)?.length ?? 0) > 0) return false;
  const alive = opts.alive ?? pidAlive;
  let states: SemaphoreState[];
  try {
    states = semaphoresOf(s.id, s.nsems);
  } catch {
    return false; // not readable: nothing known, nothing done
  }
  if (!states.every((e) => e.ncount === 0 && e.zcount === 0 && e.pid > 0 && !alive(e.pid))) return false;
  return opts.olderThan === undefined || idle([s.otime, s.ctime], opts.now ?? Date.now() / 1000) >= opts.olderThan;
}

function queueIsOrphan(q: QueueInfo, opts: OrphanOptions, waiters: Waiters): boolean {
  const alive = opts.alive ?? pidAlive;
  if (q.qnum !== 0n || (waiters.msg.get(q.id)?.length ?? 0) > 0) return false;
  if (!(q.lspid > 0 && !alive(q.lspid) && q.lrpid > 0 && !alive(q.lrpid))) return false;
  return opts.olderThan === undefined || idle([q.stime, q.rtime, q.ctime], opts.now ?? Date.now() / 1000) >= opts.olderThan;
}

export function findSetOrphans(sets: SemaphoreSetInfo[], opts: OrphanOptions = {}): SemaphoreSetInfo[] {
  if (sets.length === 0) return sets;
  const waiters = scanWaiters();
  return sets.filter((s) => setIsOrphan(s, opts, waiters));
}

export function findQueueOrphans(queues: QueueInfo[], opts: OrphanOptions = {}): QueueInfo[] {
  if (queues.length === 0) return queues;
  const waiters = scanWaiters();
  return queues.filter((q) => queueIsOrphan(q, opts, waiters));
}

/** What removing an orphan did: removed it, left it (in use again since the listing), or found it gone already. */
export type KindOrphanRemoval = 'removed' | 'in-use' | 'gone';

/**
 * Removes a set or queue found to be an orphan if it still is one, looking at it again (its record, its semaphores,
 * the waiters) immediately before the IPC_RMID.
 */
export function removeKindOrphan(ipc: 'sem' | 'msg', o: SemaphoreSetInfo | QueueInfo, opts: OrphanOptions = {}): KindOrphanRemoval {
  try {
    const waiters = scanWaiters();
    if (ipc === 'sem') {
      const now = statSemaphoreSet({ id: o.id });
      if (now.key !== o.key || !setIsOrphan(now, opts, waiters)) return 'in-use';
      removeSemaphoreSet({ id: o.id });
    } else {
      const now = statQueue({ id: o.id });
      if (now.key !== o.key || !queueIsOrphan(now, opts, waiters)) return 'in-use';
      removeQueue({ id: o.id });
    }
    return 'removed';
  } catch (e) {
    if (isGone((e as { sys?: unknown }).sys)) return 'gone';
    throw e;
  }
}
