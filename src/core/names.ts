// User and group names for uids and gids, looked up once each (ipcs looks them up again for every row).
import * as sys from '../sys/libc.js';

const users = new Map<number, string | null>();
const groups = new Map<number, string | null>();

export function userName(uid: number): string | null {
  let name = users.get(uid);
  if (name === undefined) {
    name = sys.userName(uid);
    users.set(uid, name);
  }
  return name;
}

/** Both look-ups, as the formatters take them. */
export const NAMES = { user: (uid: number) => userName(uid), group: (gid: number) => groupName(gid) };

export function groupName(gid: number): string | null {
  let name = groups.get(gid);
  if (name === undefined) {
    name = sys.groupName(gid);
    groups.set(gid, name);
  }
  return name;
}
