// The calls on a segment that exists, by id or key: find it (shmget), read its record (IPC_STAT, SHM_STAT_ANY),
// remove it (IPC_RMID), lock it (SHM_LOCK); and ftok keys. Each failure is explained with the facts of core/errors.
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { IPC_PRIVATE, SHM_DEST, SHM_LOCKED } from '../sys/constants.js';
import { InputError, type OperationError, SysError, opError } from './errors.js';
import { formatKey } from './parse.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export function infoFromDs(id: number, ds: sys.ShmidDs): SegmentInfo {
  return {
    id, key: ds.key >>> 0, mode: ds.mode & 0o777, dest: (ds.mode & SHM_DEST) !== 0, locked: (ds.mode & SHM_LOCKED) !== 0,
    size: ds.segsz, uid: ds.uid, gid: ds.gid, cuid: ds.cuid, cgid: ds.cgid, cpid: ds.cpid, lpid: ds.lpid,
    nattch: Number(ds.nattch), atime: Number(ds.atime), dtime: Number(ds.dtime), ctime: Number(ds.ctime), rss: null, swap: null,
  };
}

/** What each kind of object is called in messages. */
export const NOUN = { shm: 'segment', sem: 'semaphore set', msg: 'message queue' } as const;

/**
 * The id behind a target, for any kind: an id is taken as given, a key is looked up (shmget, semget or msgget with
 * no flags), its failures explained. ipc says which kind, where it is not a segment.
 */
export function resolveWith(target: SegmentTarget, lookup: (key: number) => number, ipc?: 'sem' | 'msg'): number {
  if ('id' in target) return target.id;
  const tag = ipc ? { ipc } : {};
  if (target.key === IPC_PRIVATE) {
    throw ipc
      ? new InputError(`key 0x00000000 is IPC_PRIVATE: private ${NOUN[ipc]}s have no key`, 'name it by its id', { kind: 'private-key', ...tag })
      : new InputError('key 0x00000000 is IPC_PRIVATE: private and removed segments have no key', 'name the segment by its id', { kind: 'private-key' });
  }
  try {
    return lookup(target.key);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    const k = formatKey(target.key);
    if (e.code === 'ENOENT') throw opError(`no ${NOUN[ipc ?? 'shm']} has key ${k}`, e, { fact: { kind: 'no-key', key: target.key, ...tag } });
    if (e.code === 'EACCES') throw opError(`key ${k}: permission denied`, e);
    if (e.code === 'EIDRM') throw opError(`key ${k}: the ${NOUN[ipc ?? 'shm']} was removed`, e);
    throw opError(`key ${k}`, e);
  }
}

/** The id behind a target: an id is taken as given, a key is looked up with shmget(key, 0, 0). */
export function resolveId(target: SegmentTarget): number {
  return resolveWith(target, (key) => sys.shmget(key, 0, 0));
}

/** The words for a failed call on an object by id (a segment, or the kind ipc names), with the facts to word a fix from. */
export function explainId(operation: string, id: number, e: SysError, ipc?: 'sem' | 'msg'): OperationError {
  const noun = NOUN[ipc ?? 'shm'];
  const tag = ipc ? { ipc } : {};
  switch (e.code) {
    case 'EINVAL':
    case 'EIDRM':
      return opError(`no ${noun} has id ${id}`, e, { operation, fact: { kind: 'no-id', id, ...tag }, hint: 'it may have been removed' });
    case 'EACCES':
      return opError(`permission denied for ${noun} ${id}`, e, { operation, fact: { kind: 'id-denied', id, ...tag }, hint: 'its mode does not give you that access' });
    case 'EPERM':
      return opError(`not permitted on ${noun} ${id}`, e, { operation, hint: 'only its owner, its creator or root may do that' });
    default:
      return opError(`${operation} ${noun} ${id}`, e);
  }
}

/**
 * The record *_STAT_ANY gives at the index an id names (the low 15 bits; 24 with the kernel's ipcmni_extend), where
 * it is that object; null if it is not, or the kernel has no *_STAT_ANY.
 */
export function atIndexOf<R extends { id: number }>(id: number, read: (index: number) => R): R | null {
  for (const mask of [0x7fff, 0xffffff]) {
    try {
      const r = read(id & mask);
      if (r.id === id) return r;
    } catch {
      // not there, or a kernel without *_STAT_ANY
    }
  }
  return null;
}

/** IPC_STAT: needs read permission, as ipcs -i does. */
export function statSegment(target: SegmentTarget): SegmentInfo {
  const id = resolveId(target);
  try {
    return infoFromDs(id, sys.shmStat(id));
  } catch (e) {
    if (e instanceof SysError) throw explainId('stat', id, e);
    throw e;
  }
}

/**
 * One segment's record by id, for anyone who may see it: IPC_STAT, or where that needs a read permission the caller
 * lacks (EACCES, as for a segment of mode 0 even to its owner), SHM_STAT_ANY at the id's index (Linux 4.17 and
 * later), which needs none, as /proc/sysvipc/shm does not. Throws as statSegment does when there is no such segment.
 */
export function readSegment(id: number): SegmentInfo {
  try {
    return infoFromDs(id, sys.shmStat(id));
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EACCES') {
      const any = atIndexOf(id, (index) => {
        const r = sys.shmStatIndex(index, true);
        return infoFromDs(r.id, r.ds);
      });
      if (any) return any;
    }
    throw explainId('stat', id, e);
  }
}

/** IPC_RMID. An attached segment is marked dest and goes at its last detach. */
export function removeSegment(target: SegmentTarget): number {
  const id = resolveId(target);
  try {
    sys.shmRmid(id);
  } catch (e) {
    if (e instanceof SysError) throw explainId('remove', id, e);
    throw e;
  }
  return id;
}

/** What IPC_SET changes; what is left out stays as it is. */
export interface SegmentChange {
  /** The nine permission bits (0 to 0o777). */
  mode?: number;
  uid?: number;
  gid?: number;
}

/**
 * IPC_SET of owner, group and permission bits, reading the current values first so that what is not named stays.
 * Only the owner, the creator or a process with CAP_SYS_ADMIN may (EPERM, with both named); the kernel sets ctime.
 * Returns the record after the change.
 */
export function setSegment(target: SegmentTarget, change: SegmentChange): SegmentInfo {
  if (change.mode !== undefined && (!Number.isInteger(change.mode) || change.mode < 0 || change.mode > 0o777)) {
    throw new InputError(`mode ${change.mode.toString(8)} has bits beyond the nine permission bits (0 to 777)`);
  }
  const id = resolveId(target);
  const now = readSegment(id);
  try {
    sys.shmSet(id, change.uid ?? now.uid, change.gid ?? now.gid, change.mode ?? now.mode);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EPERM') {
      throw opError(`not permitted to change segment ${id}`, e, {
        operation: 'set', fact: { kind: 'set-denied', id, uid: now.uid, cuid: now.cuid },
        hint: `only its owner (uid ${now.uid}), its creator (uid ${now.cuid}) or a process with CAP_SYS_ADMIN may`,
      });
    }
    throw explainId('set', id, e);
  }
  return readSegment(id);
}

/** The caller's RLIMIT_MEMLOCK soft limit in bytes (null: unlimited, or /proc/self/limits not there). */
export function memlockLimit(): bigint | null {
  try {
    const line = /^Max locked memory\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return line?.[1] && /^\d+$/.test(line[1]) ? BigInt(line[1]) : null;
  } catch {
    return null;
  }
}

/**
 * SHM_LOCK / SHM_UNLOCK: the segment's pages stay in memory (or may go to swap again). Without CAP_IPC_LOCK only the
 * owner or the creator may, and locking counts against RLIMIT_MEMLOCK: EPERM and ENOMEM say so, with the numbers.
 */
export function lockSegment(target: SegmentTarget, lock: boolean): number {
  const id = resolveId(target);
  const operation = lock ? 'lock' : 'unlock';
  try {
    sys.shmLock(id, lock);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EPERM' || e.code === 'ENOMEM') {
      const s = readSegment(id);
      const memlock = memlockLimit();
      const fact = { kind: 'lock-denied', id, uid: s.uid, cuid: s.cuid, size: s.size, memlock } as const;
      throw opError(e.code === 'ENOMEM' ? `cannot ${operation} segment ${id}` : `not permitted to ${operation} segment ${id}`, e, {
        operation, fact,
        hint: e.code === 'ENOMEM'
          ? `its ${s.size} bytes are more than your locked-memory limit (RLIMIT_MEMLOCK ${memlock ?? 'unlimited'} bytes) allows`
          : 'it needs CAP_IPC_LOCK, or being its owner or creator with a locked-memory limit (RLIMIT_MEMLOCK) above 0',
      });
    }
    throw explainId(operation, id, e);
  }
  return id;
}

export function ftokKey(path: string, proj: number): number {
  try {
    return sys.ftok(path, proj) >>> 0;
  } catch (e) {
    if (e instanceof SysError) {
      throw new InputError(`ftok: cannot use '${path}': ${e.code} (${e.description})`, 'ftok needs an existing file or directory');
    }
    throw e;
  }
}
