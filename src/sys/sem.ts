// Semaphore sets: semget, semop, semtimedop, semctl (GETVAL, SETVAL, GETALL, SETALL, GETNCNT, GETZCNT, GETPID,
// IPC_STAT, SEM_STAT[_ANY], IPC_INFO, SEM_INFO, IPC_RMID).
import { GETALL, GETNCNT, GETPID, GETVAL, GETZCNT, IPC_INFO, IPC_RMID, IPC_STAT, SEM_INFO, SEM_STAT, SEM_STAT_ANY, SETALL, SETVAL } from './constants.js';
import { checked } from './checked.js';
import { layout } from './layout.js';

const SEMCTL = 'int semctl(int semid, int semnum, int cmd, ...)';
type Semctl = (...args: unknown[]) => number;

const rawSemget = checked<(key: number, n: number, flg: number) => number>('semget', 'int semget(int key, int nsems, int semflg)');
const rawSemop = checked<(id: number, ops: Buffer, n: number) => number>('semop', 'int semop(int semid, void *sops, size_t nsops)');
/** A timeout (EAGAIN, also IPC_NOWAIT's would-block) and a signal (EINTR) are answers, not failures. */
const rawSemtimedop = checked<(id: number, ops: Buffer, n: number, ts: Buffer | null) => number>('semtimedop',
  'int semtimedop(int semid, void *sops, size_t nsops, void *timeout)', { expect: ['EAGAIN', 'EINTR'] });
const ctl = {
  getVal: checked<Semctl>('semctl(GETVAL)', SEMCTL),
  setVal: checked<Semctl>('semctl(SETVAL)', SEMCTL),
  getAll: checked<Semctl>('semctl(GETALL)', SEMCTL),
  setAll: checked<Semctl>('semctl(SETALL)', SEMCTL),
  getNcnt: checked<Semctl>('semctl(GETNCNT)', SEMCTL),
  getZcnt: checked<Semctl>('semctl(GETZCNT)', SEMCTL),
  getPid: checked<Semctl>('semctl(GETPID)', SEMCTL),
  stat: checked<Semctl>('semctl(IPC_STAT)', SEMCTL),
  statIndex: checked<Semctl>('semctl(SEM_STAT)', SEMCTL),
  statAny: checked<Semctl>('semctl(SEM_STAT_ANY)', SEMCTL),
  ipcInfo: checked<Semctl>('semctl(IPC_INFO)', SEMCTL),
  semInfo: checked<Semctl>('semctl(SEM_INFO)', SEMCTL),
  rmid: checked<Semctl>('semctl(IPC_RMID)', SEMCTL),
};

export function semget(key: number, nsems: number, flags: number): number {
  return rawSemget(key | 0, nsems, flags);
}

let sembufSize = 0;
const sembufBytes = () => (sembufSize ||= layout().sembuf.size);

/** Encodes sembuf entries into a reusable Buffer: [sem_num, sem_op, sem_flg]... */
export function encodeSembuf(ops: ReadonlyArray<readonly [number, number, number]>): Buffer {
  const size = sembufBytes();
  const b = Buffer.alloc(size * ops.length);
  ops.forEach(([num, op, flg], i) => {
    b.writeUInt16LE(num, i * size);
    b.writeInt16LE(op, i * size + 2);
    b.writeInt16LE(flg, i * size + 4);
  });
  return b;
}

export function semop(id: number, ops: Buffer): void {
  rawSemop(id, ops, ops.length / sembufBytes());
}

/**
 * semtimedop with a timeout. Returns false on EAGAIN (timeout, or IPC_NOWAIT would block) and EINTR (a signal came:
 * the caller goes back to the event loop so the handler can run); throws on any other failure.
 */
export function semtimedop(id: number, ops: Buffer, timeout: Buffer | null): boolean {
  return rawSemtimedop(id, ops, ops.length / sembufBytes(), timeout) >= 0;
}

export function encodeTimespec(ms: number): Buffer {
  const b = Buffer.alloc(layout().timespec.size);
  b.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  b.writeBigInt64LE(BigInt((ms % 1000) * 1_000_000), 8);
  return b;
}

export function semGetVal(id: number, num: number): number {
  return ctl.getVal(id, num, GETVAL);
}

export function semSetVal(id: number, num: number, value: number): void {
  ctl.setVal(id, num, SETVAL, 'int', value);
}

export function semGetAll(id: number, out: Uint16Array): void {
  ctl.getAll(id, 0, GETALL, 'void *', out);
}

export function semSetAll(id: number, values: Uint16Array): void {
  ctl.setAll(id, 0, SETALL, 'void *', values);
}

/** Raw IPC_STAT result, read straight from the kernel's struct semid_ds. */
export interface SemidDs {
  key: number; uid: number; gid: number; cuid: number; cgid: number; mode: number; otime: bigint; ctime: bigint; nsems: number;
}

function decodeSemidDs(b: Buffer): SemidDs {
  const O = layout().OFF;
  return {
    key: b.readInt32LE(O.sem_key), uid: b.readUInt32LE(O.sem_uid), gid: b.readUInt32LE(O.sem_gid), cuid: b.readUInt32LE(O.sem_cuid),
    cgid: b.readUInt32LE(O.sem_cgid), mode: b.readUInt32LE(O.sem_mode), otime: b.readBigInt64LE(O.sem_otime),
    ctime: b.readBigInt64LE(O.sem_ctime), nsems: Number(b.readBigUInt64LE(O.sem_nsems)),
  };
}

export function semStat(id: number): SemidDs {
  const b = Buffer.alloc(layout().semid_ds.size);
  ctl.stat(id, 0, IPC_STAT, 'void *', b);
  return decodeSemidDs(b);
}

/** SEM_STAT or SEM_STAT_ANY over a kernel index; returns the full id with the record. */
export function semStatIndex(index: number, any: boolean): { id: number; ds: SemidDs } {
  const b = Buffer.alloc(layout().semid_ds.size);
  const id = any ? ctl.statAny(index, 0, SEM_STAT_ANY, 'void *', b) : ctl.statIndex(index, 0, SEM_STAT, 'void *', b);
  return { id, ds: decodeSemidDs(b) };
}

/** The processes waiting for a semaphore's value to grow (GETNCNT) or to be zero (GETZCNT), and the last semop's pid. */
export function semGetNcnt(id: number, num: number): number {
  return ctl.getNcnt(id, num, GETNCNT);
}
export function semGetZcnt(id: number, num: number): number {
  return ctl.getZcnt(id, num, GETZCNT);
}
export function semGetPid(id: number, num: number): number {
  return ctl.getPid(id, num, GETPID);
}

/** struct seminfo: the limits (IPC_INFO) or, with SEM_INFO, semusz = sets in use and semaem = semaphores in use. */
export interface Seminfo {
  maxIndex: number; semmap: number; semmni: number; semmns: number; semmnu: number; semmsl: number; semopm: number;
  semume: number; semusz: number; semvmx: number; semaem: number;
}

function seminfo(usage: boolean): Seminfo {
  const L = layout();
  const b = Buffer.alloc(L.seminfo.size);
  const maxIndex = usage ? ctl.semInfo(0, 0, SEM_INFO, 'void *', b) : ctl.ipcInfo(0, 0, IPC_INFO, 'void *', b);
  const O = L.OFF;
  return {
    maxIndex, semmap: b.readInt32LE(O.semmap), semmni: b.readInt32LE(O.semmni), semmns: b.readInt32LE(O.semmns), semmnu: b.readInt32LE(O.semmnu),
    semmsl: b.readInt32LE(O.semmsl), semopm: b.readInt32LE(O.semopm), semume: b.readInt32LE(O.semume), semusz: b.readInt32LE(O.semusz),
    semvmx: b.readInt32LE(O.semvmx), semaem: b.readInt32LE(O.semaem),
  };
}
export const semIpcInfo = () => seminfo(false);
export const semInfo = () => seminfo(true);

export function semRmid(id: number): void {
  ctl.rmid(id, 0, IPC_RMID);
}
