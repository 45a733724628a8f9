// The fields of a segment, declared once, as lsipc's coldescs[] declares its columns: each one's JSON name and type,
// its column in the table views of `shmkit list` and its ipcs -m column, its description, and how its JSON and its
// cell are written. JSON (stat --json, list --json), the table, and the man pages' FIELDS section are all made from
// this table: a new field is one entry here.
import type { ChalkInstance } from 'chalk';
import { isHugePageSize, pageSizeOf, pidAlive } from '../../core/attached.js';
import { integerText, type IntegerField } from '../../core/list.js';
import type { Names } from '../../core/names.js';
import { formatKey } from '../../core/parse.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { humanSize } from './human.js';
import { printable } from './printable.js';
import { isoTime, shortTime } from './time.js';

export type JsonType = 'integer' | 'string' | 'boolean' | 'time' | 'processes';

/** What the cells of a table are made with. */
export interface CellContext {
  chalk: ChalkInstance;
  names: Names;
  human: boolean;
  now: Date;
  attached: (id: number) => AttachedProcess[];
  /** The semaphore set under a key, if there is one (a --sync pair's, say). */
  semaphoreSet: (key: number) => number | undefined;
  /** The mark after a pid that is gone (locale.ts goneMark), and what is told when one was printed. */
  gone: GoneMarks;
}

/**
 * The mark after a pid that is gone, whether one was printed, and each pid asked about once per listing: 30000
 * segments made by one process are one kill(pid, 0), not 30000 (each a syscall, and an exception where it is gone).
 */
export class GoneMarks {
  shown = false;
  readonly #alive = new Map<number, boolean>();
  constructor(readonly mark: string) {}
  alive(pid: number): boolean {
    let alive = this.#alive.get(pid);
    if (alive === undefined) this.#alive.set(pid, (alive = pidAlive(pid)));
    return alive;
  }
}

/** What a segment's JSON says beyond its record: its page size, and the semaphore set under its key. */
export interface JsonExtra {
  pageSize: number | null;
  /** null: none; undefined: not looked for (written as null). */
  semaphoreSet?: number | null | undefined;
}

export interface Field {
  /** The JSON member, and the field's name in the man pages. */
  name: string;
  /** Not in JSON: a table column made of other fields (status). */
  tableOnly?: true;
  type: JsonType;
  /** null is one of its values. */
  nullable?: true;
  /** The column of ipcs -m (any of its views) that shows it. */
  ipcs?: string;
  help: string;
  /** The value as JSON text; a nested value's lines are indented by pad. */
  json: (s: SegmentInfo, names: Names, attached: AttachedProcess[] | null, pad: string, extra: JsonExtra) => string;
  /** Its column in the table views: heading, alignment and cell. */
  column?: { head: string; align: 'left' | 'right'; cell: (s: SegmentInfo, c: CellContext) => string };
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

export function statusString(s: SegmentInfo, semaphoreSet?: number): string {
  return [s.dest ? 'dest' : '', s.locked ? 'locked' : '', semaphoreSet === undefined ? '' : 'sem'].filter(Boolean).join(',');
}

const quote = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));

const quotedTimes = new Map<string, string>();
/** A time field as JSON (an ISO string or null), cached by its digits: many segments share a second. */
function timeJson(s: SegmentInfo, field: 'atime' | 'dtime' | 'ctime'): string {
  const digits = integerText(s, field);
  let q = quotedTimes.get(digits);
  if (q === undefined) {
    const iso = isoTime(Number(digits));
    q = iso === null ? 'null' : `"${iso}"`;
    quotedTimes.set(digits, q);
  }
  return q;
}

const quotedUsers = new WeakMap<Names, Map<string, string>>();
/** The owner's name as JSON, cached by the uid's digits for each Names. */
function ownerJson(s: SegmentInfo, names: Names): string {
  let cache = quotedUsers.get(names);
  if (!cache) quotedUsers.set(names, (cache = new Map()));
  const uid = integerText(s, 'uid');
  let q = cache.get(uid);
  if (q === undefined) {
    q = quote(names.user(Number(uid)));
    cache.set(uid, q);
  }
  return q;
}

/** The attached processes as a JSON array whose lines are indented by p. */
function attachedJson(attached: AttachedProcess[] | null, p: string): string {
  if (attached === null) return 'null';
  if (attached.length === 0) return '[]';
  return `[\n${attached.map((a) => `${p}  {\n${p}    "pid": ${a.pid},\n${p}    "command": ${JSON.stringify(a.command)},\n${p}    "attachments": ${a.attachments}\n${p}  }`).join(',\n')}\n${p}]`;
}

const integer = (field: IntegerField) => (s: SegmentInfo) => integerText(s, field);
/** What the cells shared by every kind's table need: names, colour, and the mark of a pid that is gone. */
type BaseCells = Pick<CellContext, 'names' | 'chalk' | 'gone'>;
export const user = (id: number, c: BaseCells) => c.names.user(id) ?? String(id);
export const group = (id: number, c: BaseCells) => c.names.group(id) ?? String(id);
/** A pid of 0 is a process this PID namespace cannot see: '-'; a pid that is gone is dimmed, with a dagger. */
export function pidCell(p: number, c: BaseCells): string {
  if (p === 0) return '-';
  if (c.gone.alive(p)) return String(p);
  c.gone.shown = true;
  return c.chalk.dim(`${p}${c.gone.mark}`);
}
const timeCell = (t: number, c: CellContext) => (t ? shortTime(t) : c.chalk.dim('never'));

export const SEGMENT_FIELDS: readonly Field[] = [
  {
    name: 'id', type: 'integer', ipcs: 'shmid', help: 'the segment\'s id (shmid), unique while it exists',
    json: integer('id'), column: { head: 'ID', align: 'right', cell: (s) => String(s.id) },
  },
  {
    name: 'key', type: 'integer', ipcs: 'key', help: 'its key as an unsigned 32-bit number; 0 for IPC_PRIVATE, and for a removed segment still attached',
    json: (s) => String(s.key),
    column: { head: 'KEY', align: 'left', cell: (s, c) => (s.key === 0 ? c.chalk.dim(formatKey(s.key)) : formatKey(s.key)) },
  },
  { name: 'keyHex', type: 'string', help: 'the key as ipcs prints it: 0x and 8 hex digits', json: (s) => `"${formatKey(s.key)}"` },
  {
    name: 'size', type: 'integer', ipcs: 'bytes', help: 'its size in bytes',
    json: integer('size'), column: { head: 'SIZE', align: 'right', cell: (s, c) => (c.human ? humanSize(s.size) : s.size.toString()) },
  },
  { name: 'mode', type: 'integer', help: 'the permission bits (mode & 0777) as a number', json: (s) => String(s.mode) },
  {
    name: 'perms', type: 'string', ipcs: 'perms', help: 'the permission bits as ls shows them: rw-r--r--',
    json: (s) => `"${permsString(s.mode)}"`, column: { head: 'PERMS', align: 'left', cell: (s) => permsString(s.mode) },
  },
  {
    name: 'owner', type: 'string', nullable: true, ipcs: 'owner', help: 'the name of uid, null where it has none',
    json: (s, names) => ownerJson(s, names), column: { head: 'OWNER', align: 'left', cell: (s, c) => user(s.uid, c) },
  },
  { name: 'uid', type: 'integer', ipcs: 'uid', help: 'the owner\'s user id', json: integer('uid'), column: { head: 'UID', align: 'left', cell: (s, c) => user(s.uid, c) } },
  { name: 'gid', type: 'integer', ipcs: 'gid', help: 'the owner\'s group id', json: integer('gid'), column: { head: 'GID', align: 'left', cell: (s, c) => group(s.gid, c) } },
  { name: 'cuid', type: 'integer', ipcs: 'cuid', help: 'the creator\'s user id', json: integer('cuid'), column: { head: 'CUID', align: 'left', cell: (s, c) => user(s.cuid, c) } },
  { name: 'cgid', type: 'integer', ipcs: 'cgid', help: 'the creator\'s group id', json: integer('cgid'), column: { head: 'CGID', align: 'left', cell: (s, c) => group(s.cgid, c) } },
  {
    name: 'cpid', type: 'integer', ipcs: 'cpid', help: 'the creator\'s pid; 0 where that process is not visible from this PID namespace',
    json: integer('cpid'), column: { head: 'CPID', align: 'right', cell: (s, c) => pidCell(s.cpid, c) },
  },
  {
    name: 'lpid', type: 'integer', ipcs: 'lpid', help: 'the pid of the last shmat or shmdt; 0 where not visible, or nobody yet',
    json: integer('lpid'), column: { head: 'LPID', align: 'right', cell: (s, c) => pidCell(s.lpid, c) },
  },
  {
    name: 'nattch', type: 'integer', ipcs: 'nattch', help: 'how many attachments it has',
    json: integer('nattch'), column: { head: 'NATTCH', align: 'right', cell: (s, c) => (s.nattch ? c.chalk.green(String(s.nattch)) : '0') },
  },
  {
    name: 'atime', type: 'time', nullable: true, ipcs: 'attached', help: 'the last shmat',
    json: (s) => timeJson(s, 'atime'), column: { head: 'ATTACHED', align: 'left', cell: (s, c) => timeCell(s.atime, c) },
  },
  {
    name: 'dtime', type: 'time', nullable: true, ipcs: 'detached', help: 'the last shmdt',
    json: (s) => timeJson(s, 'dtime'), column: { head: 'DETACHED', align: 'left', cell: (s, c) => timeCell(s.dtime, c) },
  },
  {
    name: 'ctime', type: 'time', nullable: true, ipcs: 'changed', help: 'its creation, or the last IPC_SET',
    json: (s) => timeJson(s, 'ctime'), column: { head: 'CHANGED', align: 'left', cell: (s, c) => shortTime(s.ctime, c.now) },
  },
  { name: 'dest', type: 'boolean', ipcs: 'status', help: 'removed (SHM_DEST): it goes at its last detach', json: (s) => String(s.dest) },
  { name: 'locked', type: 'boolean', ipcs: 'status', help: 'locked in memory (SHM_LOCKED)', json: (s) => String(s.locked) },
  {
    name: 'status', tableOnly: true, type: 'string', ipcs: 'status', help: 'dest and locked, as words; sem where a semaphore set has the same key', json: () => 'null',
    column: {
      head: 'STATUS', align: 'left',
      cell: (s, c) => {
        const t = statusString(s, s.key === 0 ? undefined : c.semaphoreSet(s.key));
        return t ? c.chalk.yellow(t) : '';
      },
    },
  },
  {
    name: 'hugePages', type: 'boolean', nullable: true,
    help: 'on huge pages (SHM_HUGETLB): the device of its mapping in /proc/PID/maps of a process that has it attached is hugetlbfs\'s, not shmem\'s; null where no such process is visible (stat --probe attaches to look)',
    json: (_s, _names, _attached, _pad, x) => String(isHugePageSize(x.pageSize)),
  },
  {
    name: 'pageSize', type: 'integer', nullable: true,
    help: 'the size of its pages in bytes (4096, or a huge page\'s: 2097152, 1073741824), from the same mapping; null where hugePages is',
    json: (_s, _names, _attached, _pad, x) => String(x.pageSize),
  },
  {
    name: 'semaphoreSet', type: 'integer', nullable: true,
    help: 'the id of the semaphore set under the same key (a --sync pair\'s, or a program\'s own lock), null where there is none',
    json: (_s, _names, _attached, _pad, x) => String(x.semaphoreSet ?? null),
  },
  { name: 'rss', type: 'integer', nullable: true, help: 'resident bytes, from /proc/sysvipc/shm; null where it does not say', json: integer('rss') },
  { name: 'swap', type: 'integer', nullable: true, help: 'swapped bytes, from /proc/sysvipc/shm; null where it does not say', json: integer('swap') },
  {
    name: 'attached', type: 'processes', nullable: true,
    help: 'the processes that have it attached, from /proc/PID/maps: pid, command and attachments (how many times); null where not looked for',
    json: (_s, _names, attached, pad) => attachedJson(attached, pad),
    column: {
      head: 'ATTACHED BY', align: 'left',
      cell: (s, c) => c.attached(s.id).map((p) => `${p.pid} ${printable(p.command)}`).join(', '),
    },
  },
];

const JSON_FIELDS = SEGMENT_FIELDS.filter((f) => !f.tableOnly);
const keys = new Map(JSON_FIELDS.map((f) => [f, `"${f.name}": `]));

/**
 * A segment as pretty-printed JSON text (two spaces a level, from pad), its members in the table's order. Its page
 * size is what the attached processes' mappings show, unless the caller learnt it otherwise (stat --probe).
 */
export function segmentJsonText(s: SegmentInfo, names: Names, attached: AttachedProcess[] | null, pad = '',
  extra: Partial<JsonExtra> = {}): string {
  const p = pad + '  ';
  const x: JsonExtra = { pageSize: extra.pageSize !== undefined ? extra.pageSize : attached === null ? null : pageSizeOf(attached), semaphoreSet: extra.semaphoreSet };
  let out = '{';
  for (let i = 0; i < JSON_FIELDS.length; i++) {
    const f = JSON_FIELDS[i] as Field;
    out += (i === 0 ? '\n' : ',\n') + p + keys.get(f) + f.json(s, names, attached, p, x);
  }
  return `${out}\n${pad}}`;
}

/** The field of each table column, by name: a table view is a list of them. */
export function fieldNamed(name: string): Field & { column: NonNullable<Field['column']> } {
  const f = SEGMENT_FIELDS.find((x) => x.name === name);
  if (!f?.column) throw new Error(`no column for field ${name}`);
  return f as Field & { column: NonNullable<Field['column']> };
}
