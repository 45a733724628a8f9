// Semaphore sets: semget, semop, semtimedop, semctl (GETVAL, SETVAL, GETALL, SETALL, IPC_STAT, IPC_RMID).
import { GETALL, GETVAL, IPC_RMID, IPC_STAT, SETALL, SETVAL } from './constants.js';
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
  stat: checked<Semctl>('semctl(IPC_STAT)', SEMCTL),
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

export interface SemidDs { otime: bigint; nsems: number; mode: number; uid: number; cuid: number }

export function semStat(id: number): SemidDs {
  const L = layout();
  const b = Buffer.alloc(L.semid_ds.size);
  ctl.stat(id, 0, IPC_STAT, 'void *', b);
  const O = L.OFF;
  return {
    otime: b.readBigInt64LE(O.sem_otime), nsems: Number(b.readBigUInt64LE(O.sem_nsems)), mode: b.readUInt32LE(O.sem_mode),
    uid: b.readUInt32LE(O.sem_uid), cuid: b.readUInt32LE(O.sem_cuid),
  };
}

export function semRmid(id: number): void {
  ctl.rmid(id, 0, IPC_RMID);
}
