// The JSON shape of a segment, shared by `stat --json` and `list --json` (documented in README and shmkit(1)).
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { formatKey } from '../../core/parse.js';
import type { Json } from './json.js';
import { isoTime } from './time.js';

export interface Names {
  user(uid: number): string | null;
  group(gid: number): string | null;
}

export function segmentJson(s: SegmentInfo, names: Names, attached: AttachedProcess[] | null): Json {
  return {
    id: s.id,
    key: s.key,
    keyHex: formatKey(s.key),
    size: s.size,
    mode: s.mode,
    perms: permsString(s.mode),
    owner: names.user(s.uid),
    uid: s.uid,
    gid: s.gid,
    cuid: s.cuid,
    cgid: s.cgid,
    cpid: s.cpid,
    lpid: s.lpid,
    nattch: s.nattch,
    atime: isoTime(s.atime),
    dtime: isoTime(s.dtime),
    ctime: isoTime(s.ctime),
    dest: s.dest,
    locked: s.locked,
    rss: s.rss,
    swap: s.swap,
    attached: attached === null ? null : attached.map((p) => ({ pid: p.pid, command: p.command, attachments: p.attachments })),
  };
}

/** rw-r--r-- */
export function permsString(mode: number): string {
  let s = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const b = (mode >> shift) & 7;
    s += (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-') + (b & 1 ? 'x' : '-');
  }
  return s;
}

export function statusString(s: SegmentInfo): string {
  return [s.dest ? 'dest' : '', s.locked ? 'locked' : ''].filter(Boolean).join(',');
}
