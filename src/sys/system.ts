// The system around the IPC calls: ftok(3) keys, user and group names, the page size.
import { checked } from './checked.js';
import { native } from './load.js';

const rawFtok = checked<(path: string, proj: number) => number>('ftok', 'int ftok(const char *path, int proj_id)', { failed: (k) => k === -1 });
/**
 * NULL is "no such entry" here: POSIX leaves errno unspecified then, and an error of the name service reads the same
 * to a listing, which shows the number instead, as ipcs does.
 */
const rawGetpwuid = checked<(uid: number) => bigint | null>('getpwuid', 'void *getpwuid(uint32_t uid)', { failed: () => false });
const rawGetgrgid = checked<(gid: number) => bigint | null>('getgrgid', 'void *getgrgid(uint32_t gid)', { failed: () => false });
const rawSysconf = checked<(name: number) => number>('sysconf', 'long sysconf(int name)');

export function ftok(path: string, proj: number): number {
  return rawFtok(path, proj);
}

/** The name for a uid, or null when there is no passwd entry. */
export function userName(uid: number): string | null {
  const p = rawGetpwuid(uid);
  return p === null ? null : (native().koffi.decode(p, 'char *') as string);
}

/** The name for a gid, or null when there is no group entry. */
export function groupName(gid: number): string | null {
  const p = rawGetgrgid(gid);
  return p === null ? null : (native().koffi.decode(p, 'char *') as string);
}

const _SC_PAGESIZE = 30;
let page = 0;

export function pageSize(): number {
  return (page ||= rawSysconf(_SC_PAGESIZE));
}

const rawTzset = checked<() => void>('tzset', 'void tzset(void)', { failed: () => false });
const rawLocaltime = checked<(t: Buffer, tm: Buffer) => unknown>('localtime_r', 'void *localtime_r(void *timep, void *result)', {
  failed: (p) => p === null,
});

/** struct tm's int fields, in their order: tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst. */
export type Tm = [number, number, number, number, number, number, number, number, number];

let tzFor: string | undefined | null = null;
const timeBuf = Buffer.alloc(8);
const tmBuf = Buffer.alloc(64); // struct tm: 9 ints, long tm_gmtoff, const char *tm_zone (56 bytes on LP64)

/** localtime_r(3) of t, under the TZ of the environment now (tzset again when TZ changed since the last call). */
export function localtime(t: number): Tm {
  if (tzFor !== process.env.TZ) {
    rawTzset();
    tzFor = process.env.TZ;
  }
  timeBuf.writeBigInt64LE(BigInt(t));
  rawLocaltime(timeBuf, tmBuf);
  return Array.from({ length: 9 }, (_, i) => tmBuf.readInt32LE(i * 4)) as Tm;
}

// getpwnam(3) and getgrnam(3): NULL is "no such name" (errno is unspecified then, as for getpwuid).
const rawGetpwnam = checked<(name: string) => bigint | null>('getpwnam', 'void *getpwnam(const char *name)', { failed: () => false });
const rawGetgrnam = checked<(name: string) => bigint | null>('getgrnam', 'void *getgrnam(const char *name)', { failed: () => false });
/** struct passwd: pw_name, pw_passwd (pointers), then pw_uid and pw_gid; struct group: gr_name, gr_passwd, gr_gid. */
const ID_OFFSET = 2 * 8;

/** The uid and primary gid of a user name, or null where there is no such user. */
export function userByName(name: string): { uid: number; gid: number } | null {
  const p = rawGetpwnam(name);
  if (p === null) return null;
  const { koffi } = native();
  return { uid: koffi.decode(p, ID_OFFSET, 'uint32_t') as number, gid: koffi.decode(p, ID_OFFSET + 4, 'uint32_t') as number };
}

/** The gid of a group name, or null where there is no such group. */
export function groupByName(name: string): number | null {
  const p = rawGetgrnam(name);
  return p === null ? null : (native().koffi.decode(p, ID_OFFSET, 'uint32_t') as number);
}
