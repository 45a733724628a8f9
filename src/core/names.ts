// User and group names for uids and gids, looked up once each (ipcs looks them up again for every row).
//
// Where the name service reads the files first ("passwd: files ..." in /etc/nsswitch.conf, as on most systems), the
// first entry for an id in /etc/passwd or /etc/group is exactly what getpwuid(3)/getgrgid(3) answer: it is read
// from there, without loading the FFI (~10 ms of a listing, issue 6). An id the file does not have, a compat-style
// '+'/'-' line, or another first source goes to libc as before.
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';

const users = new Map<number, string | null>();
const groups = new Map<number, string | null>();

type Table = Map<number, string> | null;
let passwdTable: Table | undefined;
let groupTable: Table | undefined;

/**
 * The names in /etc/passwd or /etc/group by id (the first entry wins, as in libc's files module), given the text of
 * nsswitch.conf and of the file; null when the file cannot stand for libc: another first source, compat '+'/'-'
 * lines, or a line this parser does not read exactly as libc would.
 */
export function parseNameTable(database: 'passwd' | 'group', nsswitch: string, text: string): Table {
  const source = new RegExp(`^[ \\t]*${database}:[ \\t]*([^\\s#]+)`, 'm').exec(nsswitch);
  if (source?.[1] !== 'files') return null;
  const fields = database === 'passwd' ? 7 : 4;
  const table = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length !== fields || !/^[^\s+-][^\s]*$/.test(f[0] as string) || !/^\d{1,10}$/.test(f[2] as string)) return null;
    const id = Number(f[2]);
    if (id > 0xffff_ffff) return null;
    if (!table.has(id)) table.set(id, f[0] as string);
  }
  return table;
}

function readTable(database: 'passwd' | 'group'): Table {
  try {
    return parseNameTable(database, readFileSync('/etc/nsswitch.conf', 'utf8'), readFileSync(`/etc/${database}`, 'utf8'));
  } catch {
    return null;
  }
}

function lookup(id: number, cache: Map<number, string | null>, table: () => Table, libc: (id: number) => string | null): string | null {
  let name = cache.get(id);
  if (name === undefined) {
    name = table()?.get(id) ?? libc(id);
    cache.set(id, name);
  }
  return name;
}

export function userName(uid: number): string | null {
  return lookup(uid, users, () => (passwdTable ??= readTable('passwd')), sys.userName);
}

export function groupName(gid: number): string | null {
  return lookup(gid, groups, () => (groupTable ??= readTable('group')), sys.groupName);
}

/** Names for ids: a user's for a uid, a group's for a gid, null where there is none. */
export interface Names {
  user(uid: number): string | null;
  group(gid: number): string | null;
}

/** Both look-ups, as the formatters take them. */
export const NAMES: Names = { user: (uid: number) => userName(uid), group: (gid: number) => groupName(gid) };

/** A uid from a user name or a number (as chown takes them), or null where no user has that name. */
export function uidOf(text: string): number | null {
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffff_fffe) return Number(text);
  return sys.userByName(text)?.uid ?? null;
}

/** A user's primary gid, for chown's USER: (the group left out after the colon). */
export function primaryGidOf(text: string): number | null {
  if (/^\d{1,10}$/.test(text)) {
    const name = userName(Number(text));
    return name === null ? null : (sys.userByName(name)?.gid ?? null);
  }
  return sys.userByName(text)?.gid ?? null;
}

/** A gid from a group name or a number, or null where no group has that name. */
export function gidOf(text: string): number | null {
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffff_fffe) return Number(text);
  return sys.groupByName(text);
}
