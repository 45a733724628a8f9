// The JSON shape of a segment, shared by `stat --json` and `list --json` (documented in README and shmkit(1)).
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { formatKey } from '../../core/parse.js';
import { SHM_DEST, SHM_LOCKED, type ProcFields } from '../../core/list.js';
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

/** The attached processes as a JSON array whose lines are indented by p. */
function attachedJson(attached: AttachedProcess[], p: string): string {
  if (attached.length === 0) return '[]';
  return `[\n${attached.map((a) => `${p}  {\n${p}    "pid": ${a.pid},\n${p}    "command": ${JSON.stringify(a.command)},\n${p}    "attachments": ${a.attachments}\n${p}  }`).join(',\n')}\n${p}]`;
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
  const att = attached === null ? 'null' : attachedJson(attached, p);
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

const quotedTimes = new Map<string, string>();
const quotedUsers = new Map<string, string>();
let usersOf: Names | null = null;

/** A time field's text as JSON (an ISO string or null), cached: many segments share a second. */
function quotedTime(text: string): string {
  let q = quotedTimes.get(text);
  if (q === undefined) {
    q = time(Number(text));
    quotedTimes.set(text, q);
  }
  return q;
}

/** The owner of a uid field's text as JSON, cached for one Names at a time. */
function quotedUser(uid: string, names: Names): string {
  if (names !== usersOf) {
    usersOf = names;
    quotedUsers.clear();
  }
  let q = quotedUsers.get(uid);
  if (q === undefined) {
    q = str(names.user(Number(uid)));
    quotedUsers.set(uid, q);
  }
  return q;
}

/**
 * segmentJsonText(infoFromProcFields(f), names, attached, '  ') made from the kernel's own digits (issue 6): list --json
 * of thousands of segments spends its time turning text into numbers and back. Fields the kernel does not print as we
 * do (the key unsigned and in hex, the mode, the times, the owner) are converted, the times and owners cached. This
 * runs a few thousand times before V8 optimises it, so the fields go by their PROC_FIELD index as literals.
 * A test checks it against segmentJsonText on generated lines.
 */
export function segmentJsonFromProc(f: ProcFields, names: Names, attached: AttachedProcess[]): string {
  const mode = parseInt(f[3] as string, 8);
  const key = Number(f[1]) >>> 0;
  const uid = f[8] as string;
  return `{
    "id": ${f[2]},
    "key": ${key},
    "keyHex": "${formatKey(key)}",
    "size": ${f[4]},
    "mode": ${mode & 0o777},
    "perms": "${permsString(mode & 0o777)}",
    "owner": ${quotedUser(uid, names)},
    "uid": ${uid},
    "gid": ${f[9]},
    "cuid": ${f[10]},
    "cgid": ${f[11]},
    "cpid": ${f[5]},
    "lpid": ${f[6]},
    "nattch": ${f[7]},
    "atime": ${quotedTime(f[12] as string)},
    "dtime": ${quotedTime(f[13] as string)},
    "ctime": ${quotedTime(f[14] as string)},
    "dest": ${(mode & SHM_DEST) !== 0},
    "locked": ${(mode & SHM_LOCKED) !== 0},
    "rss": ${f[15] ?? 'null'},
    "swap": ${f[16] ?? 'null'},
    "attached": ${attached.length === 0 ? '[]' : attachedJson(attached, '    ')}
  }`;
}

const PERMS: string[] = [];

/** rw-r--r-- */
export function permsString(mode: number): string {
  return (PERMS[mode & 0o777] ??= permsOf(mode & 0o777));
}

function permsOf(mode: number): string {
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
