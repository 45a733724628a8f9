// The only module that talks to koffi. It declares the libc functions and the x86_64 glibc struct layouts,
// and wraps every raw call in a checked adapter (as node's lib/os.js does): a -1 return, or shmat's (void *)-1,
// becomes a SysError carrying the errno name, number and the call, with errno read right after the failed call.
import type { KoffiFunc, TypeObject } from 'koffi';
import { closeSync as closeFd, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import {
  GETALL, GETVAL, IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, SETALL, SETVAL, SHM_INFO, SHM_LOCK, SHM_STAT, SHM_STAT_ANY, SHM_UNLOCK,
} from './constants.js';

import { LoadError, SysError } from './errors.js';

export { SysError };

/** A SysError for errno, with its name and strerror's text. */
export function sysError(syscall: string, errno: number): SysError {
  return new SysError(syscall, errno, errnoName(errno), strerrorText(errno));
}

function findLibc(): string | null {
  try {
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const slash = line.indexOf('/');
      if (slash < 0) continue;
      const file = line.slice(slash);
      if (/\/libc\.so\.6$/.test(file) || /\/(ld-musl-[\w-]+|libc\.musl-[\w-]+)\.so\.1$/.test(file)) return file;
    }
  } catch {
    // no /proc: fall back to the global symbol scope, which holds the libc node itself links against
  }
  return null;
}

type Koffi = typeof import('koffi').default;

/**
 * koffi's native addon. Its package entry (require('koffi')) resolves the package's exports, reads node's own ELF
 * header to tell glibc from musl and wraps the addon in deprecation shims: ~8 ms of a command's start-up (issue 6).
 * We know the libc already (findLibc), so we load the prebuilt addon that koffi's own loader would pick, from the
 * node_modules folders above this module, and hold it to koffi's own rule: the addon's version is exactly the koffi
 * package's beside it. Any other layout or version (a hoisted or a source build, a mismatch) falls back to
 * require('koffi'), which decides, and says what is wrong.
 */
function requireKoffi(libc: 'glibc' | 'musl'): Koffi {
  const pkg = `@koromix/koffi-${process.platform}-${process.arch}`;
  const triplet = `${libc === 'musl' ? 'musl' : process.platform}_${process.arch}`;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const addon = join(dir, 'node_modules', pkg, triplet, 'koffi.node');
    if (existsSync(addon)) {
      try {
        const wanted = (JSON.parse(readFileSync(join(dir, 'node_modules', 'koffi', 'package.json'), 'utf8')) as { version?: unknown }).version;
        // What require() does for a .node file, without needing a require (node:module is not loaded for it).
        const holder = { exports: {} as Koffi };
        process.dlopen(holder, addon);
        const native = holder.exports;
        if (typeof wanted === 'string' && native.version === wanted) return native;
      } catch {
        // no koffi package beside it, or not loadable here (another ABI): koffi's own loader decides
      }
      break;
    }
    if (dir === dirname(dir)) break;
  }
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch (e) {
    throw new LoadError(`cannot load koffi, which shmkit calls libc through: ${(e as Error).message}; reinstall shmkit (npm ci), ` +
      'without --omit=optional, so that koffi and its native package are there in the same version');
  }
}
type Fn<T extends (...args: never[]) => unknown> = KoffiFunc<T>;

/**
 * koffi, libc and the declarations, made on the first call that needs them: a command that only prints (help, usage
 * errors, an empty listing) does not pay for loading the FFI.
 */
function load() {
  const libc = findLibc();
  const koffi = requireKoffi(libc !== null && /musl/.test(libc) ? 'musl' : 'glibc');
  const lib = koffi.load(libc);

  // ---- struct layouts (x86_64 glibc; checked against offsetof() in test/sys/layout.test.ts) ----

  const ipc_perm = koffi.struct('shmkit_ipc_perm', {
    key: 'int32_t', uid: 'uint32_t', gid: 'uint32_t', cuid: 'uint32_t', cgid: 'uint32_t', mode: 'uint32_t',
    seq: 'uint16_t', pad2: 'uint16_t', reserved1: 'unsigned long', reserved2: 'unsigned long',
  });
  const shmid_ds = koffi.struct('shmkit_shmid_ds', {
    shm_perm: ipc_perm, shm_segsz: 'size_t', shm_atime: 'int64_t', shm_dtime: 'int64_t', shm_ctime: 'int64_t',
    shm_cpid: 'int32_t', shm_lpid: 'int32_t', shm_nattch: 'unsigned long', reserved5: 'unsigned long', reserved6: 'unsigned long',
  });
  const shminfo = koffi.struct('shmkit_shminfo', {
    shmmax: 'unsigned long', shmmin: 'unsigned long', shmmni: 'unsigned long', shmseg: 'unsigned long', shmall: 'unsigned long',
    reserved1: 'unsigned long', reserved2: 'unsigned long', reserved3: 'unsigned long', reserved4: 'unsigned long',
  });
  const shm_info = koffi.struct('shmkit_shm_info', {
    used_ids: 'int', shm_tot: 'unsigned long', shm_rss: 'unsigned long', shm_swp: 'unsigned long',
    swap_attempts: 'unsigned long', swap_successes: 'unsigned long',
  });
  const sembuf = koffi.struct('shmkit_sembuf', { sem_num: 'unsigned short', sem_op: 'short', sem_flg: 'short' });
  const semid_ds = koffi.struct('shmkit_semid_ds', {
    sem_perm: ipc_perm, sem_otime: 'int64_t', reserved1: 'unsigned long', sem_ctime: 'int64_t', reserved2: 'unsigned long',
    sem_nsems: 'unsigned long', reserved3: 'unsigned long', reserved4: 'unsigned long',
  });
  const timespec = koffi.struct('shmkit_timespec', { tv_sec: 'int64_t', tv_nsec: 'long' });

  const off = (t: TypeObject, path: string): number => {
    let type = t;
    let total = 0;
    for (const part of path.split('.')) {
      const member = type.members?.[part];
      if (!member) throw new Error(`no member ${part}`);
      total += member.offset;
      type = member.type;
    }
    return total;
  };

  /** Byte offsets derived from the koffi declarations above, used to read the reusable Buffers below. */
  const OFF = {
    key: off(shmid_ds, 'shm_perm.key'), uid: off(shmid_ds, 'shm_perm.uid'), gid: off(shmid_ds, 'shm_perm.gid'),
    cuid: off(shmid_ds, 'shm_perm.cuid'), cgid: off(shmid_ds, 'shm_perm.cgid'), mode: off(shmid_ds, 'shm_perm.mode'),
    segsz: off(shmid_ds, 'shm_segsz'), atime: off(shmid_ds, 'shm_atime'), dtime: off(shmid_ds, 'shm_dtime'),
    ctime: off(shmid_ds, 'shm_ctime'), cpid: off(shmid_ds, 'shm_cpid'), lpid: off(shmid_ds, 'shm_lpid'),
    nattch: off(shmid_ds, 'shm_nattch'),
    shmmax: off(shminfo, 'shmmax'), shmmin: off(shminfo, 'shmmin'), shmmni: off(shminfo, 'shmmni'),
    shmseg: off(shminfo, 'shmseg'), shmall: off(shminfo, 'shmall'),
    used_ids: off(shm_info, 'used_ids'), shm_tot: off(shm_info, 'shm_tot'), shm_rss: off(shm_info, 'shm_rss'),
    shm_swp: off(shm_info, 'shm_swp'), swap_attempts: off(shm_info, 'swap_attempts'), swap_successes: off(shm_info, 'swap_successes'),
    sem_otime: off(semid_ds, 'sem_otime'), sem_nsems: off(semid_ds, 'sem_nsems'), sem_mode: off(semid_ds, 'sem_perm.mode'),
    sem_uid: off(semid_ds, 'sem_perm.uid'), sem_cuid: off(semid_ds, 'sem_perm.cuid'),
  } as const;

  // ---- raw declarations ----

  const raw = {
    shmget: lib.func('int shmget(int key, size_t size, int shmflg)') as Fn<(key: number, size: number | bigint, flg: number) => number>,
    shmat: lib.func('void *shmat(int shmid, void *addr, int shmflg)') as Fn<(id: number, addr: null, flg: number) => bigint | null>,
    shmdt: lib.func('int shmdt(void *addr)') as Fn<(addr: bigint) => number>,
    shmctl: lib.func('int shmctl(int shmid, int cmd, void *buf)') as Fn<(id: number, cmd: number, buf: Buffer | null) => number>,
    ftok: lib.func('int ftok(const char *path, int proj_id)') as Fn<(path: string, proj: number) => number>,
    strerror: lib.func('const char *strerror(int errnum)') as Fn<(e: number) => string>,
    semget: lib.func('int semget(int key, int nsems, int semflg)') as Fn<(key: number, n: number, flg: number) => number>,
    semop: lib.func('int semop(int semid, void *sops, size_t nsops)') as Fn<(id: number, ops: Buffer, n: number) => number>,
    semtimedop: lib.func('int semtimedop(int semid, void *sops, size_t nsops, void *timeout)') as
      Fn<(id: number, ops: Buffer, n: number, ts: Buffer | null) => number>,
    semctl: lib.func('int semctl(int semid, int semnum, int cmd, ...)') as unknown as (...args: unknown[]) => number,
    getpwuid: lib.func('void *getpwuid(uint32_t uid)') as Fn<(uid: number) => bigint | null>,
    getgrgid: lib.func('void *getgrgid(uint32_t gid)') as Fn<(gid: number) => bigint | null>,
    sysconf: lib.func('long sysconf(int name)') as Fn<(name: number) => number>,
    write: lib.func('long write(int fd, void *buf, size_t count)') as Fn<(fd: number, buf: bigint, n: number) => number>,
    read: lib.func('long read(int fd, void *buf, size_t count)') as Fn<(fd: number, buf: bigint, n: number) => number>,
    poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)') as Fn<(fds: Buffer, n: number, t: number) => number>,
    madvise: lib.func('int madvise(void *addr, size_t length, int advice)') as Fn<(addr: bigint, len: number, advice: number) => number>,
    pipe2: lib.func('int pipe2(void *fds, int flags)') as Fn<(fds: Buffer, flags: number) => number>,
    fcntl: lib.func('int fcntl(int fd, int cmd, ...)') as unknown as (...args: unknown[]) => number,
    vmsplice: lib.func('long vmsplice(int fd, void *iov, unsigned long nr_segs, unsigned int flags)') as
      Fn<(fd: number, iov: Buffer, n: number, flags: number) => number>,
    memfd_create: lib.func('int memfd_create(const char *name, unsigned int flags)') as Fn<(name: string, flags: number) => number>,
    splice: lib.func('long splice(int fd_in, void *off_in, int fd_out, void *off_out, size_t len, unsigned int flags)') as
      Fn<(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, len: number, flags: number) => number>,
  };

  // ---- errno ----

  const ERRNO_NAMES = new Map<number, string>();
  for (const [name, value] of Object.entries(koffi.os.errno)) {
    // Prefer the canonical name where two share a number (EAGAIN/EWOULDBLOCK, EDEADLK/EDEADLOCK, ENOTSUP/EOPNOTSUPP).
    if (!ERRNO_NAMES.has(value) || ['EAGAIN', 'EDEADLK', 'EOPNOTSUPP'].includes(name)) ERRNO_NAMES.set(value, name);
  }
  const ERRNO: Readonly<Record<string, number>> = koffi.os.errno;
  const statBuf = Buffer.alloc(shmid_ds.size);
  return { koffi, lib, ipc_perm, shmid_ds, shminfo, shm_info, sembuf, semid_ds, timespec, OFF, raw, ERRNO_NAMES, ERRNO, statBuf };
}

let loaded: ReturnType<typeof load> | undefined;
const N = () => (loaded ??= load());

/** The struct declarations and the offsets read from them, for the layout test. */
export function layout() {
  const { ipc_perm, shmid_ds, shminfo, shm_info, sembuf, semid_ds, timespec, OFF } = N();
  return { ipc_perm, shmid_ds, shminfo, shm_info, sembuf, semid_ds, timespec, OFF };
}

export function errnoName(errno: number): string {
  return N().ERRNO_NAMES.get(errno) ?? `E${errno}`;
}

export function strerrorText(errno: number): string {
  return N().raw.strerror(errno);
}

function fail(call: string): never {
  const e = N().koffi.errno(); // first thing after the failed call: nothing else may run in between
  throw sysError(call, e);
}

const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

// ---- checked adapters ----

export function shmget(key: number, size: number | bigint, flags: number): number {
  const id = N().raw.shmget(key | 0, size, flags);
  if (id < 0) fail('shmget');
  return id;
}

/** Attaches a segment; returns its address. Throws on (void *)-1. */
export function shmat(id: number, flags: number): bigint {
  const addr = N().raw.shmat(id, null, flags);
  if (addr === null || addr === MAP_FAILED) fail('shmat');
  return addr;
}

export function shmdt(addr: bigint): void {
  if (N().raw.shmdt(addr) < 0) fail('shmdt');
}

/** Raw IPC_STAT result, read straight from the kernel's struct shmid_ds. */
export interface ShmidDs {
  key: number; uid: number; gid: number; cuid: number; cgid: number; mode: number;
  segsz: bigint; atime: bigint; dtime: bigint; ctime: bigint; cpid: number; lpid: number; nattch: bigint;
}


function decodeShmidDs(b: Buffer): ShmidDs {
  return {
    key: b.readInt32LE(N().OFF.key), uid: b.readUInt32LE(N().OFF.uid), gid: b.readUInt32LE(N().OFF.gid),
    cuid: b.readUInt32LE(N().OFF.cuid), cgid: b.readUInt32LE(N().OFF.cgid), mode: b.readUInt32LE(N().OFF.mode),
    segsz: b.readBigUInt64LE(N().OFF.segsz), atime: b.readBigInt64LE(N().OFF.atime), dtime: b.readBigInt64LE(N().OFF.dtime),
    ctime: b.readBigInt64LE(N().OFF.ctime), cpid: b.readInt32LE(N().OFF.cpid), lpid: b.readInt32LE(N().OFF.lpid),
    nattch: b.readBigUInt64LE(N().OFF.nattch),
  };
}

export function shmStat(id: number): ShmidDs {
  if (N().raw.shmctl(id, IPC_STAT, N().statBuf) < 0) fail('shmctl(IPC_STAT)');
  return decodeShmidDs(N().statBuf);
}

/** SHM_STAT or SHM_STAT_ANY over a kernel index; returns the full id with the record. */
export function shmStatIndex(index: number, any: boolean): { id: number; ds: ShmidDs } {
  const id = N().raw.shmctl(index, any ? SHM_STAT_ANY : SHM_STAT, N().statBuf);
  if (id < 0) fail(any ? 'shmctl(SHM_STAT_ANY)' : 'shmctl(SHM_STAT)');
  return { id, ds: decodeShmidDs(N().statBuf) };
}

export function shmRmid(id: number): void {
  if (N().raw.shmctl(id, IPC_RMID, null) < 0) fail('shmctl(IPC_RMID)');
}

export function shmLock(id: number, lock: boolean): void {
  if (N().raw.shmctl(id, lock ? SHM_LOCK : SHM_UNLOCK, null) < 0) fail(lock ? 'shmctl(SHM_LOCK)' : 'shmctl(SHM_UNLOCK)');
}

/** IPC_SET of uid, gid and permission bits. */
export function shmSet(id: number, uid: number, gid: number, mode: number): void {
  const b = Buffer.alloc(N().shmid_ds.size);
  b.writeUInt32LE(uid, N().OFF.uid);
  b.writeUInt32LE(gid, N().OFF.gid);
  b.writeUInt32LE(mode, N().OFF.mode);
  if (N().raw.shmctl(id, IPC_SET, b) < 0) fail('shmctl(IPC_SET)');
}

export interface ShmInfoLimits { maxIndex: number; shmmax: bigint; shmmin: bigint; shmmni: bigint; shmseg: bigint; shmall: bigint }
export interface ShmInfoUsage {
  maxIndex: number; usedIds: number; shmTot: bigint; shmRss: bigint; shmSwp: bigint; swapAttempts: bigint; swapSuccesses: bigint;
}

export function ipcInfo(): ShmInfoLimits {
  const b = Buffer.alloc(N().shmid_ds.size); // the kernel writes a struct shminfo (72 bytes); the buffer is big enough for any
  const maxIndex = N().raw.shmctl(0, IPC_INFO, b);
  if (maxIndex < 0) fail('shmctl(IPC_INFO)');
  return {
    maxIndex, shmmax: b.readBigUInt64LE(N().OFF.shmmax), shmmin: b.readBigUInt64LE(N().OFF.shmmin), shmmni: b.readBigUInt64LE(N().OFF.shmmni),
    shmseg: b.readBigUInt64LE(N().OFF.shmseg), shmall: b.readBigUInt64LE(N().OFF.shmall),
  };
}

export function shmInfo(): ShmInfoUsage {
  const b = Buffer.alloc(N().shmid_ds.size);
  const maxIndex = N().raw.shmctl(0, SHM_INFO, b);
  if (maxIndex < 0) fail('shmctl(SHM_INFO)');
  return {
    maxIndex, usedIds: b.readInt32LE(N().OFF.used_ids), shmTot: b.readBigUInt64LE(N().OFF.shm_tot), shmRss: b.readBigUInt64LE(N().OFF.shm_rss),
    shmSwp: b.readBigUInt64LE(N().OFF.shm_swp), swapAttempts: b.readBigUInt64LE(N().OFF.swap_attempts),
    swapSuccesses: b.readBigUInt64LE(N().OFF.swap_successes),
  };
}

export function ftok(path: string, proj: number): number {
  const key = N().raw.ftok(path, proj);
  if (key === -1) fail('ftok');
  return key;
}

/** A view of attached memory. Only core/segment.ts and core/demo may hold one, and never past shmdt. */
export function view(addr: bigint, length: number): ArrayBuffer {
  // koffi aborts the process (a fatal N-API error, not an exception) on a view longer than 2^32 - 1 bytes.
  if (!Number.isSafeInteger(length) || length <= 0 || length > VIEW_LIMIT) throw new RangeError(`no view of ${length} bytes: 1 to ${VIEW_LIMIT}`);
  if (addr === 0n || addr === MAP_FAILED) throw new RangeError('no view of a NULL or (void *)-1 address');
  return N().koffi.view(addr, length) as ArrayBuffer;
}

/** The longest view koffi makes without aborting the process. */
export const VIEW_LIMIT = 0xffff_ffff;

/** write(2) straight from attached memory; returns bytes written or throws (EAGAIN included). */
export function writeFrom(fd: number, addr: bigint, length: number): number {
  const n = N().raw.write(fd, addr, length);
  if (n < 0) fail('write');
  return n;
}

/** read(2) straight into attached memory; returns bytes read (0 at end of file) or throws. */
export function readInto(fd: number, addr: bigint, length: number): number {
  const n = N().raw.read(fd, addr, length);
  if (n < 0) fail('read');
  return n;
}

// ---- semaphores ----

export function semget(key: number, nsems: number, flags: number): number {
  const id = N().raw.semget(key | 0, nsems, flags);
  if (id < 0) fail('semget');
  return id;
}

/** Encodes sembuf entries into a reusable Buffer: [sem_num, sem_op, sem_flg]... */
export function encodeSembuf(ops: ReadonlyArray<readonly [number, number, number]>): Buffer {
  const size = N().sembuf.size;
  const b = Buffer.alloc(size * ops.length);
  ops.forEach(([num, op, flg], i) => {
    b.writeUInt16LE(num, i * size);
    b.writeInt16LE(op, i * size + 2);
    b.writeInt16LE(flg, i * size + 4);
  });
  return b;
}

export function semop(id: number, ops: Buffer): void {
  if (N().raw.semop(id, ops, ops.length / N().sembuf.size) < 0) fail('semop');
}

/**
 * semtimedop with a timeout. Returns false on EAGAIN (timeout, or IPC_NOWAIT would block) and EINTR (a signal came:
 * the caller goes back to the event loop so the handler can run); throws on any other failure.
 */
export function semtimedop(id: number, ops: Buffer, timeout: Buffer | null): boolean {
  if (N().raw.semtimedop(id, ops, ops.length / N().sembuf.size, timeout) < 0) {
    const e = N().koffi.errno();
    if (e === N().ERRNO.EAGAIN || e === N().ERRNO.EINTR) return false;
    throw sysError('semtimedop', e);
  }
  return true;
}

export function encodeTimespec(ms: number): Buffer {
  const b = Buffer.alloc(N().timespec.size);
  b.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  b.writeBigInt64LE(BigInt((ms % 1000) * 1_000_000), 8);
  return b;
}

export function semGetVal(id: number, num: number): number {
  const v = N().raw.semctl(id, num, GETVAL);
  if (v < 0) fail('semctl(GETVAL)');
  return v;
}

export function semSetVal(id: number, num: number, value: number): void {
  if ((N().raw.semctl(id, num, SETVAL, 'int', value) as number) < 0) fail('semctl(SETVAL)');
}

export function semGetAll(id: number, out: Uint16Array): void {
  if ((N().raw.semctl(id, 0, GETALL, 'void *', out) as number) < 0) fail('semctl(GETALL)');
}

export function semSetAll(id: number, values: Uint16Array): void {
  if ((N().raw.semctl(id, 0, SETALL, 'void *', values) as number) < 0) fail('semctl(SETALL)');
}

export interface SemidDs { otime: bigint; nsems: number; mode: number; uid: number; cuid: number }

export function semStat(id: number): SemidDs {
  const b = Buffer.alloc(N().semid_ds.size);
  if ((N().raw.semctl(id, 0, IPC_STAT, 'void *', b) as number) < 0) fail('semctl(IPC_STAT)');
  return {
    otime: b.readBigInt64LE(N().OFF.sem_otime), nsems: Number(b.readBigUInt64LE(N().OFF.sem_nsems)), mode: b.readUInt32LE(N().OFF.sem_mode),
    uid: b.readUInt32LE(N().OFF.sem_uid), cuid: b.readUInt32LE(N().OFF.sem_cuid),
  };
}

export function semRmid(id: number): void {
  if ((N().raw.semctl(id, 0, IPC_RMID) as number) < 0) fail('semctl(IPC_RMID)');
}

// ---- users, groups, page size ----

/** The name for a uid, or null when there is no passwd entry. */
export function userName(uid: number): string | null {
  const p = N().raw.getpwuid(uid);
  if (p === null) return null;
  return N().koffi.decode(p, 'char *') as string;
}

/** The name for a gid, or null when there is no group entry. */
export function groupName(gid: number): string | null {
  const p = N().raw.getgrgid(gid);
  if (p === null) return null;
  return N().koffi.decode(p, 'char *') as string;
}

const _SC_PAGESIZE = 30;
export function pageSize(): number {
  return N().raw.sysconf(_SC_PAGESIZE);
}

// ---- poll, for writing to a non-blocking stdout ----

const POLLIN = 0x001;
const POLLOUT = 0x004;

/** Blocks until fd is readable (events 'in') or writable ('out'); EINTR returns early. */
export function waitFd(fd: number, events: 'in' | 'out', timeoutMs = -1): void {
  const b = Buffer.alloc(8);
  b.writeInt32LE(fd, 0);
  b.writeInt16LE(events === 'in' ? POLLIN : POLLOUT, 4);
  if (N().raw.poll(b, 1, timeoutMs) < 0) {
    const e = N().koffi.errno();
    if (e !== N().ERRNO.EINTR) throw sysError('poll', e);
  }
}

/** The address of a Buffer's bytes, for read(2)/write(2) into it. */
export function addressOf(b: Uint8Array): bigint {
  return N().koffi.address(b) as bigint;
}

// ---- madvise, to populate page tables in one call before bulk I/O ----

const MADV_POPULATE_READ = 22;
const MADV_POPULATE_WRITE = 23;

/**
 * Maps every page of [addr, addr+length) now (MADV_POPULATE_READ/WRITE, Linux 5.14+), instead of one page fault per
 * page during a large read(2) or write(2). Returns false where the kernel does not have it; nothing else changes.
 */
export function populate(addr: bigint, length: number, forWrite: boolean): boolean {
  return N().raw.madvise(addr, length, forWrite ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) === 0;
}

// ---- splice, to move bulk data between attached memory and a file inside the kernel ----

const O_CLOEXEC = 0o2000000;
const F_SETPIPE_SZ = 1031;
const SPLICE_F_MOVE = 1;

/** A pipe of our own to splice through: its two fds, and its capacity (asked for `want` bytes; the kernel may give less). */
export function splicePipe(want: number): { r: number; w: number; capacity: number } {
  const fds = Buffer.alloc(8);
  if (N().raw.pipe2(fds, O_CLOEXEC) < 0) fail('pipe2');
  const r = fds.readInt32LE(0);
  const w = fds.readInt32LE(4);
  // Above /proc/sys/fs/pipe-max-size an unprivileged caller gets EPERM: keep the default (16 pages) then.
  const capacity = N().raw.fcntl(w, F_SETPIPE_SZ, 'int', want);
  return { r, w, capacity: capacity > 0 ? capacity : 16 * pageSize() };
}

/**
 * Asks for a pipe's buffer to hold `want` bytes (F_SETPIPE_SZ), so that each splice(2) from it moves more; returns the
 * capacity it has then. Where the kernel refuses (above fs.pipe-max-size for an unprivileged caller), nothing changes.
 */
export function growPipe(fd: number, want: number): number {
  const capacity = N().raw.fcntl(fd, F_SETPIPE_SZ, 'int', want);
  return capacity > 0 ? capacity : 16 * pageSize();
}

/**
 * vmsplice(2): hands the pages of [addr, addr+length) to a pipe by reference (no copy); returns the bytes taken.
 * The pipe then holds references to attached memory: it must be drained, or closed, before the data may change.
 */
export function vmspliceFrom(pipeW: number, addr: bigint, length: number): number {
  const iov = Buffer.alloc(16);
  iov.writeBigUInt64LE(addr, 0);
  iov.writeBigUInt64LE(BigInt(length), 8);
  const n = N().raw.vmsplice(pipeW, iov, 1, 0);
  if (n < 0) fail('vmsplice');
  return n;
}

/**
 * splice(2) of up to length bytes from fdIn to fdOut, one of which is a pipe; an offset given is used and advanced by
 * the kernel instead of the fd's own position. Returns the bytes moved (0 at end of input) or throws (EAGAIN too).
 */
export function spliceFd(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, length: number): number {
  const n = N().raw.splice(fdIn, offIn, fdOut, offOut, length, SPLICE_F_MOVE);
  if (n < 0) fail('splice');
  return n;
}

/**
 * The file behind an attached segment's mapping, opened for reading and writing through /proc/self/map_files (the
 * kernel keeps every SysV segment in a shmem file). Opening it needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE; without
 * them, or where the mapping is not found under that name (huge pages), returns null and the caller uses the mapping.
 */
export function openMappedFile(addr: bigint, length: number): number | null {
  const end = addr + BigInt(Math.ceil(length / pageSize()) * pageSize());
  try {
    return openSync(`/proc/self/map_files/${addr.toString(16)}-${end.toString(16)}`, 'r+');
  } catch {
    return null;
  }
}


/** memfd_create(2): an anonymous file in memory (shmem), gone when its last fd closes. */
export function memfdCreate(name: string): number {
  const fd = N().raw.memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) fail('memfd_create');
  return fd;
}

// ---- the devices System V segments live on ----

const MFD_CLOEXEC = 0x1;
const MFD_HUGETLB = 0x4;
const MFD_HUGE_SHIFT = 26;

/**
 * The devices of the kernel's internal mounts that hold System V segments, as /proc/PID/maps prints them ("00:01"):
 * shmem's, and hugetlbfs's for each huge page size (2 MiB, 1 GiB, the default). memfd_create(2) makes its files on
 * the same internal mounts as shmget(2), so the device of a memfd is the device of every segment of that kind; a
 * file of any other filesystem named /SYSV... is not a segment. Empty where memfd_create is not there (Linux < 3.17).
 */
export function segmentDevices(): Set<string> {
  const devices = new Set<string>();
  for (const flags of [0, MFD_HUGETLB, MFD_HUGETLB | (21 << MFD_HUGE_SHIFT), MFD_HUGETLB | (30 << MFD_HUGE_SHIFT)]) {
    const fd = N().raw.memfd_create('shmkit', MFD_CLOEXEC | flags);
    if (fd < 0) continue; // no such huge page size here, or no memfd at all
    try {
      const dev = fstatSync(fd, { bigint: true }).dev;
      // glibc's major()/minor() of a dev_t, printed as the kernel prints them in maps (%02x:%02x).
      const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
      const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
      devices.add(`${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`);
    } finally {
      closeFd(fd);
    }
  }
  return devices;
}
