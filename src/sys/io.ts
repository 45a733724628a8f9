// Bulk I/O between attached memory and file descriptors: read(2)/write(2) at an address, poll(2), madvise(2) to
// populate page tables, pipes and splice(2)/vmsplice(2), the file behind a mapping, memfd_create(2) and the devices
// segments live on.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { checked } from './checked.js';
import { native } from './load.js';
import { pageSize } from './system.js';

const rawWrite = checked<(fd: number, buf: bigint, n: number) => number>('write', 'long write(int fd, void *buf, size_t count)');
const rawRead = checked<(fd: number, buf: bigint, n: number) => number>('read', 'long read(int fd, void *buf, size_t count)');
/** A signal ends the wait early: the caller looks again. */
const rawPoll = checked<(fds: Buffer, n: number, t: number) => number>('poll', 'int poll(void *fds, unsigned long nfds, int timeout)', { expect: ['EINTR'] });
/**
 * Populating is an optimisation: where the kernel has no MADV_POPULATE_* (EINVAL before Linux 5.14) or cannot map
 * the pages now, the copy that follows faults them in itself, and says so if it cannot.
 */
const rawMadvise = checked<(addr: bigint, len: number, advice: number) => number>('madvise', 'int madvise(void *addr, size_t length, int advice)', {
  expect: ['EINVAL', 'ENOMEM', 'EFAULT', 'EAGAIN', 'EINTR', 'EHWPOISON'],
});
const rawPipe2 = checked<(fds: Buffer, flags: number) => number>('pipe2', 'int pipe2(void *fds, int flags)');
/** F_SETPIPE_SZ above fs.pipe-max-size is EPERM for an unprivileged caller, and EBUSY below what the pipe holds: keep its size. */
const rawFcntl = checked<(...args: unknown[]) => number>('fcntl(F_SETPIPE_SZ)', 'int fcntl(int fd, int cmd, ...)', { expect: ['EPERM', 'EBUSY'] });
const rawVmsplice = checked<(fd: number, iov: Buffer, n: number, flags: number) => number>('vmsplice',
  'long vmsplice(int fd, void *iov, unsigned long nr_segs, unsigned int flags)');
const rawSplice = checked<(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, len: number, flags: number) => number>('splice',
  'long splice(int fd_in, void *off_in, int fd_out, void *off_out, size_t len, unsigned int flags)');
const rawSendfile = checked<(outFd: number, inFd: number, offset: Buffer | null, count: number) => number>('sendfile',
  'long sendfile64(int out_fd, int in_fd, void *offset, size_t count)');
const rawLseek = checked<(fd: number, offset: bigint, whence: number) => bigint>('lseek', 'int64_t lseek64(int fd, int64_t offset, int whence)');
const MEMFD_CREATE = 'int memfd_create(const char *name, unsigned int flags)';
const rawMemfd = checked<(name: string, flags: number) => number>('memfd_create', MEMFD_CREATE);
/** Probing the huge page sizes: EINVAL or ENODEV (no such size, or no hugetlbfs here), ENOSYS (no memfd) and the rest leave that size out. */
const probeMemfd = checked<(name: string, flags: number) => number>('memfd_create', MEMFD_CREATE, {
  expect: ['EINVAL', 'ENODEV', 'ENOSYS', 'EOPNOTSUPP', 'ENOMEM', 'EPERM', 'ENFILE', 'EMFILE'],
});

/** write(2) straight from attached memory; returns bytes written or throws (EAGAIN included). */
export function writeFrom(fd: number, addr: bigint, length: number): number {
  return rawWrite(fd, addr, length);
}

/** read(2) straight into attached memory; returns bytes read (0 at end of file) or throws. */
export function readInto(fd: number, addr: bigint, length: number): number {
  return rawRead(fd, addr, length);
}

const POLLIN = 0x001;
const POLLOUT = 0x004;

/** Blocks until fd is readable (events 'in') or writable ('out'); EINTR returns early. */
export function waitFd(fd: number, events: 'in' | 'out', timeoutMs = -1): void {
  const b = Buffer.alloc(8);
  b.writeInt32LE(fd, 0);
  b.writeInt16LE(events === 'in' ? POLLIN : POLLOUT, 4);
  rawPoll(b, 1, timeoutMs);
}

/** The address of a Buffer's bytes, for read(2)/write(2) into it. */
export function addressOf(b: Uint8Array): bigint {
  return native().koffi.address(b) as bigint;
}

const MADV_POPULATE_READ = 22;
const MADV_POPULATE_WRITE = 23;

/**
 * Maps every page of [addr, addr+length) now (MADV_POPULATE_READ/WRITE, Linux 5.14+), instead of one page fault per
 * page during a large read(2) or write(2). Returns false where it did not; nothing else changes.
 */
export function populate(addr: bigint, length: number, forWrite: boolean): boolean {
  return rawMadvise(addr, length, forWrite ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) === 0;
}

const O_CLOEXEC = 0o2000000;
const F_SETPIPE_SZ = 1031;
const SPLICE_F_MOVE = 1;

/** A pipe of our own to splice through: its two fds, and its capacity (asked for `want` bytes; the kernel may give less). */
export function splicePipe(want: number): { r: number; w: number; capacity: number } {
  const fds = Buffer.alloc(8);
  rawPipe2(fds, O_CLOEXEC);
  const r = fds.readInt32LE(0);
  const w = fds.readInt32LE(4);
  return { r, w, capacity: growPipe(w, want) };
}

/**
 * Asks for a pipe's buffer to hold `want` bytes (F_SETPIPE_SZ), so that each splice(2) from it moves more; returns the
 * capacity it has then. Where the kernel refuses (above fs.pipe-max-size for an unprivileged caller), nothing changes.
 */
export function growPipe(fd: number, want: number): number {
  const capacity = rawFcntl(fd, F_SETPIPE_SZ, 'int', want);
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
  return rawVmsplice(pipeW, iov, 1, 0);
}

/**
 * splice(2) of up to length bytes from fdIn to fdOut, one of which is a pipe; an offset given is used and advanced by
 * the kernel instead of the fd's own position. Returns the bytes moved (0 at end of input) or throws (EAGAIN too).
 */
export function spliceFd(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, length: number): number {
  return rawSplice(fdIn, offIn, fdOut, offOut, length, SPLICE_F_MOVE);
}

/**
 * sendfile(2) of up to count bytes from inFd to outFd's position: from inFd's offset in the 8-byte buffer (advanced
 * by the kernel) where one is given, else from its position. The kernel copies page cache to page cache.
 */
export function sendFile(outFd: number, inFd: number, offset: Buffer | null, count: number): number {
  return rawSendfile(outFd, inFd, offset, count);
}

/** lseek(2) to an absolute position (SEEK_SET). */
export function seekTo(fd: number, position: number): void {
  rawLseek(fd, BigInt(position), 0);
}

/**
 * The file behind an attached segment's mapping, opened through /proc/self/map_files (the kernel keeps every SysV
 * segment in a shmem file). Opening it needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE; without them, or where the
 * mapping is not found under that name, returns null and the caller uses the mapping. Huge pages return null too:
 * a segment of whole huge pages has a mapping of that name, on hugetlbfs, which takes neither write(2) nor splice(2)
 * nor sendfile(2) into it (a splice failed with EINVAL after its input was consumed); its blocks are huge pages.
 */
export function openMappedFile(addr: bigint, length: number, writable = true): number | null {
  const end = addr + BigInt(Math.ceil(length / pageSize()) * pageSize());
  let fd: number;
  try {
    fd = openSync(`/proc/self/map_files/${addr.toString(16)}-${end.toString(16)}`, writable ? 'r+' : 'r');
  } catch {
    return null;
  }
  if (fstatSync(fd).blksize === pageSize()) return fd;
  closeSync(fd);
  return null;
}

const MFD_CLOEXEC = 0x1;
const MFD_HUGETLB = 0x4;
const MFD_HUGE_SHIFT = 26;

/** memfd_create(2): an anonymous file in memory (shmem), gone when its last fd closes. */
export function memfdCreate(name: string): number {
  return rawMemfd(name, MFD_CLOEXEC);
}

/**
 * The device of the kernel's internal mount that holds System V segments of one kind, as /proc/PID/maps prints it
 * ("00:01"): shmem's (hugeLog2 null), or hugetlbfs's for huge pages of 2^hugeLog2 bytes. memfd_create(2) makes its
 * files on the same internal mounts as shmget(2), so the device of a memfd is the device of every segment of that
 * kind. null where that size is not there, or memfd_create is not (Linux < 3.17).
 */
export function segmentDevice(hugeLog2: number | null): string | null {
  const fd = probeMemfd('shmkit', MFD_CLOEXEC | (hugeLog2 === null ? 0 : MFD_HUGETLB | (hugeLog2 << MFD_HUGE_SHIFT)));
  if (fd < 0) return null;
  try {
    const dev = fstatSync(fd, { bigint: true }).dev;
    // glibc's major()/minor() of a dev_t, printed as the kernel prints them in maps (%02x:%02x).
    const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
    const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
    return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
  } finally {
    closeSync(fd);
  }
}
