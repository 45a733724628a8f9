// Shared memory: shmget, shmat, shmdt, shmctl (IPC_STAT, SHM_STAT[_ANY], IPC_RMID, SHM_LOCK, IPC_SET, IPC_INFO,
// SHM_INFO), and views of attached memory.
import { IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, SHM_INFO, SHM_LOCK, SHM_STAT, SHM_STAT_ANY, SHM_UNLOCK } from './constants.js';
import { checked } from './checked.js';
import { layout } from './layout.js';
import { native } from './load.js';

const MAP_FAILED = 0xffff_ffff_ffff_ffffn;
const SHMCTL = 'int shmctl(int shmid, int cmd, void *buf)';
type Shmctl = (id: number, cmd: number, buf: Buffer | null) => number;

const rawShmget = checked<(key: number, size: number | bigint, flg: number) => number>('shmget', 'int shmget(int key, size_t size, int shmflg)');
const rawShmat = checked<(id: number, addr: null, flg: number) => bigint | null>('shmat', 'void *shmat(int shmid, void *addr, int shmflg)', {
  failed: (addr) => addr === null || addr === MAP_FAILED,
});
const rawShmdt = checked<(addr: bigint) => number>('shmdt', 'int shmdt(void *addr)');
const ctl = {
  stat: checked<Shmctl>('shmctl(IPC_STAT)', SHMCTL),
  statIndex: checked<Shmctl>('shmctl(SHM_STAT)', SHMCTL),
  statAny: checked<Shmctl>('shmctl(SHM_STAT_ANY)', SHMCTL),
  rmid: checked<Shmctl>('shmctl(IPC_RMID)', SHMCTL),
  lock: checked<Shmctl>('shmctl(SHM_LOCK)', SHMCTL),
  unlock: checked<Shmctl>('shmctl(SHM_UNLOCK)', SHMCTL),
  set: checked<Shmctl>('shmctl(IPC_SET)', SHMCTL),
  ipcInfo: checked<Shmctl>('shmctl(IPC_INFO)', SHMCTL),
  shmInfo: checked<Shmctl>('shmctl(SHM_INFO)', SHMCTL),
};

export function shmget(key: number, size: number | bigint, flags: number): number {
  return rawShmget(key | 0, size, flags);
}

/** Attaches a segment; returns its address. (void *)-1 throws. */
export function shmat(id: number, flags: number): bigint {
  return rawShmat(id, null, flags) as bigint;
}

export function shmdt(addr: bigint): void {
  rawShmdt(addr);
}

/** Raw IPC_STAT result, read straight from the kernel's struct shmid_ds. */
export interface ShmidDs {
  key: number; uid: number; gid: number; cuid: number; cgid: number; mode: number;
  segsz: bigint; atime: bigint; dtime: bigint; ctime: bigint; cpid: number; lpid: number; nattch: bigint;
}

let statBuf: Buffer | undefined;
const statBuffer = () => (statBuf ??= Buffer.alloc(layout().shmid_ds.size));

function decodeShmidDs(b: Buffer): ShmidDs {
  const O = layout().OFF;
  return {
    key: b.readInt32LE(O.key), uid: b.readUInt32LE(O.uid), gid: b.readUInt32LE(O.gid), cuid: b.readUInt32LE(O.cuid),
    cgid: b.readUInt32LE(O.cgid), mode: b.readUInt32LE(O.mode), segsz: b.readBigUInt64LE(O.segsz), atime: b.readBigInt64LE(O.atime),
    dtime: b.readBigInt64LE(O.dtime), ctime: b.readBigInt64LE(O.ctime), cpid: b.readInt32LE(O.cpid), lpid: b.readInt32LE(O.lpid),
    nattch: b.readBigUInt64LE(O.nattch),
  };
}

export function shmStat(id: number): ShmidDs {
  const b = statBuffer();
  ctl.stat(id, IPC_STAT, b);
  return decodeShmidDs(b);
}

/** SHM_STAT or SHM_STAT_ANY over a kernel index; returns the full id with the record. */
export function shmStatIndex(index: number, any: boolean): { id: number; ds: ShmidDs } {
  const b = statBuffer();
  const id = any ? ctl.statAny(index, SHM_STAT_ANY, b) : ctl.statIndex(index, SHM_STAT, b);
  return { id, ds: decodeShmidDs(b) };
}

export function shmRmid(id: number): void {
  ctl.rmid(id, IPC_RMID, null);
}

export function shmLock(id: number, lock: boolean): void {
  if (lock) ctl.lock(id, SHM_LOCK, null);
  else ctl.unlock(id, SHM_UNLOCK, null);
}

/** IPC_SET of uid, gid and permission bits. */
export function shmSet(id: number, uid: number, gid: number, mode: number): void {
  const L = layout();
  const b = Buffer.alloc(L.shmid_ds.size);
  b.writeUInt32LE(uid, L.OFF.uid);
  b.writeUInt32LE(gid, L.OFF.gid);
  b.writeUInt32LE(mode, L.OFF.mode);
  ctl.set(id, IPC_SET, b);
}

export interface ShmInfoLimits { maxIndex: number; shmmax: bigint; shmmin: bigint; shmmni: bigint; shmseg: bigint; shmall: bigint }
export interface ShmInfoUsage {
  maxIndex: number; usedIds: number; shmTot: bigint; shmRss: bigint; shmSwp: bigint; swapAttempts: bigint; swapSuccesses: bigint;
}

export function ipcInfo(): ShmInfoLimits {
  const L = layout();
  const b = Buffer.alloc(L.shmid_ds.size); // the kernel writes a struct shminfo (72 bytes); the buffer is big enough for any
  const maxIndex = ctl.ipcInfo(0, IPC_INFO, b);
  const O = L.OFF;
  return {
    maxIndex, shmmax: b.readBigUInt64LE(O.shmmax), shmmin: b.readBigUInt64LE(O.shmmin), shmmni: b.readBigUInt64LE(O.shmmni),
    shmseg: b.readBigUInt64LE(O.shmseg), shmall: b.readBigUInt64LE(O.shmall),
  };
}

export function shmInfo(): ShmInfoUsage {
  const L = layout();
  const b = Buffer.alloc(L.shmid_ds.size);
  const maxIndex = ctl.shmInfo(0, SHM_INFO, b);
  const O = L.OFF;
  return {
    maxIndex, usedIds: b.readInt32LE(O.used_ids), shmTot: b.readBigUInt64LE(O.shm_tot), shmRss: b.readBigUInt64LE(O.shm_rss),
    shmSwp: b.readBigUInt64LE(O.shm_swp), swapAttempts: b.readBigUInt64LE(O.swap_attempts), swapSuccesses: b.readBigUInt64LE(O.swap_successes),
  };
}

/** The longest view koffi makes without aborting the process. */
export const VIEW_LIMIT = 0xffff_ffff;

/** A view of attached memory. Only core's Attachment and the loops it lends views to may hold one, never past shmdt. */
export function view(addr: bigint, length: number): ArrayBuffer {
  // koffi aborts the process (a fatal N-API error, not an exception) on a view longer than 2^32 - 1 bytes.
  if (!Number.isSafeInteger(length) || length <= 0 || length > VIEW_LIMIT) throw new RangeError(`no view of ${length} bytes: 1 to ${VIEW_LIMIT}`);
  if (addr === 0n || addr === MAP_FAILED) throw new RangeError('no view of a NULL or (void *)-1 address');
  return native().koffi.view(addr, length) as ArrayBuffer;
}
