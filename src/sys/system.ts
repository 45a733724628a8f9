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
