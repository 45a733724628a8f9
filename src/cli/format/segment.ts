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

const str = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
const time = (t: number) => {
  const iso = isoTime(t);
  return iso === null ? 'null' : `"${iso}"`;
};

/**
 * segmentJson(...) as JSON text, pretty-printed with two spaces from pad, written in one template: list --json
 * prints thousands of these. A test checks it equals toJson(segmentJson(...)) field for field.
 */
export function segmentJsonText(s: SegmentInfo, names: Names, attached: AttachedProcess[] | null, pad = ''): string {
  const p = pad + '  ';
  const att = attached === null
    ? 'null'
    : attached.length === 0
      ? '[]'
      : `[\n${attached.map((a) => `${p}  {\n${p}    "pid": ${a.pid},\n${p}    "command": ${JSON.stringify(a.command)},\n${p}    "attachments": ${a.attachments}\n${p}  }`).join(',\n')}\n${p}]`;
  return `{
${p}"id": ${s.id},
${p}"key": ${s.key},
${p}"keyHex": "${formatKey(s.key)}",
${p}"size": ${s.size},
${p}"mode": ${s.mode},
${p}"perms": "${permsString(s.mode)}",
${p}"owner": ${str(names.user(s.uid))},
${p}"uid": ${s.uid},
${p}"gid": ${s.gid},
${p}"cuid": ${s.cuid},
${p}"cgid": ${s.cgid},
${p}"cpid": ${s.cpid},
${p}"lpid": ${s.lpid},
${p}"nattch": ${s.nattch},
${p}"atime": ${time(s.atime)},
${p}"dtime": ${time(s.dtime)},
${p}"ctime": ${time(s.ctime)},
${p}"dest": ${s.dest},
${p}"locked": ${s.locked},
${p}"rss": ${s.rss === null ? 'null' : s.rss},
${p}"swap": ${s.swap === null ? 'null' : s.swap},
${p}"attached": ${att}
${pad}}`;
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
