// Semaphore sets and message queues, as records: the getters (every object, one object), removal and creation of
// both kinds, written once over a table of each kind's calls, as util-linux's ipcutils.c reads each kind the same
// way. /proc/sysvipc/sem and /proc/sysvipc/msg answer where they can be read (every object, whatever its
// permissions); else SEM_INFO/MSG_INFO and SEM_STAT_ANY/MSG_STAT_ANY over the kernel's indexes (SEM_STAT/MSG_STAT
// before Linux 4.17). Shared memory keeps its own getters (list.ts), which carry more (rss, the kernel's digits).
import * as sys from '../sys/libc.js';
import { IPC_PRIVATE } from '../sys/constants.js';
import { NOUN, atIndexOf, explainId, resolveWith } from './control.js';
import { SysError, opError } from './errors.js';
import { readProcText } from './proc.js';
import type { ListOptions } from './list.js';
import type { IpcObject, IpcTarget, QueueInfo, SemaphoreSetInfo, SemaphoreState } from './types.js';

export type { IpcKind, IpcObject, IpcTarget, QueueInfo, SemaphoreSetInfo, SemaphoreState } from './types.js';

/** One kind's calls: the table the getters below are written over. */
interface Kind<R extends IpcObject> {
  noun: string;
  procPath: string;
  /** A record from the numbers of one line of the /proc file; null for a line of another shape. */
  fromProc(f: string[]): R | null;
  fromStat(id: number): R;
  fromIndex(index: number, any: boolean): R;
  /** SEM_INFO / MSG_INFO: the highest index in use, and how many are in use. */
  usage(): { maxIndex: number; used: number };
  lookup(key: number): number;
  rmid(id: number): void;
}

const n = (s: string | undefined) => Number(s);

function semFromDs(id: number, ds: sys.SemidDs): SemaphoreSetInfo {
  return {
    id, key: ds.key >>> 0, mode: ds.mode & 0o777, uid: ds.uid, gid: ds.gid, cuid: ds.cuid, cgid: ds.cgid, nsems: ds.nsems,
    otime: Number(ds.otime), ctime: Number(ds.ctime),
  };
}

function msgFromDs(id: number, ds: sys.MsqidDs): QueueInfo {
  return {
    id, key: ds.key >>> 0, mode: ds.mode & 0o777, uid: ds.uid, gid: ds.gid, cuid: ds.cuid, cgid: ds.cgid, cbytes: ds.cbytes,
    qnum: ds.qnum, qbytes: ds.qbytes, lspid: ds.lspid, lrpid: ds.lrpid, stime: Number(ds.stime), rtime: Number(ds.rtime),
    ctime: Number(ds.ctime),
  };
}

const DIGITS = /^-?\d+$/;

export const PROC_SYSVIPC_SEM = '/proc/sysvipc/sem';
export const PROC_SYSVIPC_MSG = '/proc/sysvipc/msg';

const SEM: Kind<SemaphoreSetInfo> = {
  noun: NOUN.sem,
  procPath: PROC_SYSVIPC_SEM,
  // key semid perms nsems uid gid cuid cgid otime ctime
  fromProc: (f) => (f.length < 10 ? null : {
    key: n(f[0]) >>> 0, id: n(f[1]), mode: parseInt(f[2] as string, 8) & 0o777, nsems: n(f[3]), uid: n(f[4]), gid: n(f[5]),
    cuid: n(f[6]), cgid: n(f[7]), otime: n(f[8]), ctime: n(f[9]),
  }),
  fromStat: (id) => semFromDs(id, sys.semStat(id)),
  fromIndex: (index, any) => {
    const r = sys.semStatIndex(index, any);
    return semFromDs(r.id, r.ds);
  },
  usage: () => {
    const i = sys.semInfo();
    return { maxIndex: i.maxIndex, used: i.semusz };
  },
  lookup: (key) => sys.semget(key, 0, 0),
  rmid: (id) => sys.semRmid(id),
};

const MSG: Kind<QueueInfo> = {
  noun: NOUN.msg,
  procPath: PROC_SYSVIPC_MSG,
  // key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime
  fromProc: (f) => (f.length < 14 ? null : {
    key: n(f[0]) >>> 0, id: n(f[1]), mode: parseInt(f[2] as string, 8) & 0o777, cbytes: BigInt(f[3] as string), qnum: BigInt(f[4] as string),
    qbytes: null, lspid: n(f[5]), lrpid: n(f[6]), uid: n(f[7]), gid: n(f[8]), cuid: n(f[9]), cgid: n(f[10]), stime: n(f[11]),
    rtime: n(f[12]), ctime: n(f[13]),
  }),
  fromStat: (id) => msgFromDs(id, sys.msgStat(id)),
  fromIndex: (index, any) => {
    const r = sys.msgStatIndex(index, any);
    return msgFromDs(r.id, r.ds);
  },
  usage: () => {
    const i = sys.msgInfo();
    return { maxIndex: i.maxIndex, used: i.msgpool };
  },
  lookup: (key) => sys.msgget(key, 0),
  rmid: (id) => sys.msgRmid(id),
};

function parseProc<R extends IpcObject>(kind: Kind<R>, text: string): R[] {
  const out: R[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).trim().split(/ +/);
    if (f.length === 1 && f[0] === '') continue;
    if (!f.every((x, j) => DIGITS.test(x) || (j === 2 && /^[0-7]+$/.test(x)))) continue;
    const r = kind.fromProc(f);
    if (r) out.push(r);
  }
  return out;
}

function scan<R extends IpcObject>(kind: Kind<R>): R[] {
  let usage: { maxIndex: number; used: number };
  try {
    usage = kind.usage();
  } catch (e) {
    if (e instanceof SysError) throw opError(`list ${kind.noun}s`, e, { hint: `the kernel may not be configured for System V ${kind.noun}s` });
    throw e;
  }
  // *_STAT_ANY (Linux 4.17+) lists every object whatever its permissions; an older kernel answers EINVAL at every
  // index: only when a whole pass found nothing while objects exist, use *_STAT instead.
  const pass = (any: boolean) => {
    const out: R[] = [];
    for (let index = 0; index <= usage.maxIndex; index++) {
      try {
        out.push(kind.fromIndex(index, any));
      } catch (e) {
        if (!(e instanceof SysError)) throw e; // EINVAL: a free index; EACCES: not readable with *_STAT
      }
    }
    return out;
  };
  const any = pass(true);
  return any.length > 0 || usage.used === 0 ? any : pass(false);
}

function list<R extends IpcObject>(kind: Kind<R>, opts: ListOptions): R[] {
  const source = opts.source ?? 'auto';
  if (source !== 'kernel') {
    let text: string | null = null;
    try {
      text = readProcText(opts.procPath ?? kind.procPath);
    } catch (e) {
      if (source === 'proc') throw e;
    }
    if (text !== null) return parseProc(kind, text);
  }
  return scan(kind);
}

const KINDS = { sem: SEM, msg: MSG } as const;

function resolve(ipc: 'sem' | 'msg', target: IpcTarget): number {
  return resolveWith(target, KINDS[ipc].lookup, ipc);
}

/**
 * One object's record by id or key, for anyone who may see it: IPC_STAT, or where that needs a read permission the
 * caller lacks (EACCES), its line in the /proc file or *_STAT_ANY (as ipcs -i reads /proc).
 */
function getOne<R extends IpcObject>(ipc: 'sem' | 'msg', kind: Kind<R>, target: IpcTarget, fill?: (r: R) => R): R {
  const id = resolve(ipc, target);
  try {
    return kind.fromStat(id);
  } catch (e) {
    if (!(e instanceof SysError)) throw e;
    if (e.code === 'EACCES') {
      const seen = list(kind, {}).find((r) => r.id === id);
      if (seen) return fill ? fill(seen) : seen;
    }
    throw explainId('stat', id, e, ipc);
  }
}

/** Every semaphore set, in the kernel's order. */
export function listSemaphoreSets(opts: ListOptions = {}): SemaphoreSetInfo[] {
  return list(SEM, opts);
}

/** Every message queue, in the kernel's order (qbytes is null where /proc/sysvipc/msg answered). */
export function listQueues(opts: ListOptions = {}): QueueInfo[] {
  return list(MSG, opts);
}

export function statSemaphoreSet(target: IpcTarget): SemaphoreSetInfo {
  return getOne('sem', SEM, target);
}

/** A queue's record; qbytes from IPC_STAT, or MSG_STAT_ANY where IPC_STAT is refused. */
export function statQueue(target: IpcTarget): QueueInfo {
  return getOne('msg', MSG, target, (q) => atIndexOf(q.id, (index) => MSG.fromIndex(index, true)) ?? q);
}

/**
 * Each semaphore's value, waiters and last pid (GETALL, GETNCNT, GETZCNT, GETPID): these need read permission, as
 * ipcs -s -i does.
 */
export function semaphoresOf(id: number, nsems: number): SemaphoreState[] {
  try {
    const values = new Uint16Array(Math.max(nsems, 1));
    if (nsems > 0) sys.semGetAll(id, values);
    const out: SemaphoreState[] = [];
    for (let num = 0; num < nsems; num++) {
      out.push({ num, value: values[num] as number, ncount: sys.semGetNcnt(id, num), zcount: sys.semGetZcnt(id, num), pid: sys.semGetPid(id, num) });
    }
    return out;
  } catch (e) {
    if (e instanceof SysError) throw explainId('read semaphores of', id, e, 'sem');
    throw e;
  }
}

/** IPC_RMID of a semaphore set or a queue: processes waiting on it wake with EIDRM. Returns the id removed. */
export function removeIpcObject(ipc: 'sem' | 'msg', target: IpcTarget): number {
  const id = resolve(ipc, target);
  try {
    KINDS[ipc].rmid(id);
  } catch (e) {
    if (e instanceof SysError) throw explainId('remove', id, e, ipc);
    throw e;
  }
  return id;
}

export const removeSemaphoreSet = (target: IpcTarget) => removeIpcObject('sem', target);
export const removeQueue = (target: IpcTarget) => removeIpcObject('msg', target);


/**
 * The semaphore set under each key (private sets left out): which segment has a set beside it, as a lockstep pair's
 * segment does. Empty where the sets cannot be listed.
 */
export function semaphoreSetsByKey(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const s of listSemaphoreSets()) if (s.key !== IPC_PRIVATE) out.set(s.key, s.id);
  } catch {
    // no semaphores in this kernel, or /proc and the calls both refused: no set is known
  }
  return out;
}
