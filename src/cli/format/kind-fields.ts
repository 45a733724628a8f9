// The fields of a semaphore set and of a message queue, declared once each, as fields.ts declares a segment's: the
// JSON member and its type, the table column, the ipcs column that shows it, and its description. JSON (list --sem
// --json, stat --sem --json, ...), the tables and the man pages' field lists are made from these tables.
import type { ChalkInstance } from 'chalk';
import type { IpcObject, QueueInfo, SemaphoreSetInfo, SemaphoreState } from '../../core/kinds.js';
import type { Names } from '../../core/names.js';
import { formatKey } from '../../core/parse.js';
import { type GoneMarks, group, permsString, pidCell, user } from './fields.js';
import { humanSize } from './human.js';
import { type Json, toJson } from './json.js';
import { isoTime, shortTime } from './time.js';

export interface KindCellContext {
  chalk: ChalkInstance;
  names: Names;
  human: boolean;
  now: Date;
  gone: GoneMarks;
}

export interface KindField<R> {
  name: string;
  type: 'integer' | 'string' | 'time' | 'semaphores';
  nullable?: true;
  /** The column of ipcs (-s or -q, any view) that shows it. */
  ipcs?: string;
  help: string;
  value: (r: R, names: Names) => Json;
  column?: { head: string; align: 'left' | 'right'; cell: (r: R, c: KindCellContext) => string };
}

const time = (t: number) => isoTime(t);
const timeCell = (t: number, c: KindCellContext) => (t ? shortTime(t, c.now) : c.chalk.dim('never'));

/** The members every kind has, from its ipc_perm, in the order segments have them. */
function permFields<R extends IpcObject>(noun: string, idName: string): KindField<R>[] {
  return [
    { name: 'id', type: 'integer', ipcs: idName, help: `the ${noun}'s id (${idName})`, value: (r) => r.id, column: { head: 'ID', align: 'right', cell: (r) => String(r.id) } },
    {
      name: 'key', type: 'integer', ipcs: 'key', help: 'its key as an unsigned 32-bit number; 0 for IPC_PRIVATE', value: (r) => r.key,
      column: { head: 'KEY', align: 'left', cell: (r, c) => (r.key === 0 ? c.chalk.dim(formatKey(r.key)) : formatKey(r.key)) },
    },
    { name: 'keyHex', type: 'string', help: 'the key as ipcs prints it: 0x and 8 hex digits', value: (r) => formatKey(r.key) },
    { name: 'mode', type: 'integer', help: 'the permission bits (mode & 0777) as a number', value: (r) => r.mode },
    { name: 'perms', type: 'string', ipcs: 'perms', help: 'the permission bits as ls shows them', value: (r) => permsString(r.mode), column: { head: 'PERMS', align: 'left', cell: (r) => permsString(r.mode) } },
    { name: 'owner', type: 'string', nullable: true, ipcs: 'owner', help: 'the name of uid, null where it has none', value: (r, names) => names.user(r.uid), column: { head: 'OWNER', align: 'left', cell: (r, c) => user(r.uid, c) } },
    { name: 'uid', type: 'integer', ipcs: 'uid', help: 'the owner\'s user id', value: (r) => r.uid, column: { head: 'UID', align: 'left', cell: (r, c) => user(r.uid, c) } },
    { name: 'gid', type: 'integer', ipcs: 'gid', help: 'the owner\'s group id', value: (r) => r.gid, column: { head: 'GID', align: 'left', cell: (r, c) => group(r.gid, c) } },
    { name: 'cuid', type: 'integer', ipcs: 'cuid', help: 'the creator\'s user id', value: (r) => r.cuid, column: { head: 'CUID', align: 'left', cell: (r, c) => user(r.cuid, c) } },
    { name: 'cgid', type: 'integer', ipcs: 'cgid', help: 'the creator\'s group id', value: (r) => r.cgid, column: { head: 'CGID', align: 'left', cell: (r, c) => group(r.cgid, c) } },
  ];
}

export const SEM_SET_FIELDS: readonly KindField<SemaphoreSetInfo & { semaphores?: SemaphoreState[] | null }>[] = [
  ...permFields<SemaphoreSetInfo>('semaphore set', 'semid'),
  { name: 'nsems', type: 'integer', ipcs: 'nsems', help: 'how many semaphores it has', value: (r) => r.nsems, column: { head: 'NSEMS', align: 'right', cell: (r) => String(r.nsems) } },
  { name: 'otime', type: 'time', nullable: true, ipcs: 'last-op', help: 'the last semop', value: (r) => time(r.otime), column: { head: 'LAST OP', align: 'left', cell: (r, c) => timeCell(r.otime, c) } },
  { name: 'ctime', type: 'time', nullable: true, ipcs: 'last-changed', help: 'its creation, or the last IPC_SET, SETVAL or SETALL', value: (r) => time(r.ctime), column: { head: 'CHANGED', align: 'left', cell: (r, c) => shortTime(r.ctime, c.now) } },
  {
    name: 'semaphores', type: 'semaphores', nullable: true, ipcs: 'semnum',
    help: 'each semaphore: num, value, ncount (waiting for it to grow), zcount (waiting for zero) and pid (the last semop); null in list, where they are not read',
    value: (r) => (r.semaphores ? r.semaphores.map((s) => ({ num: s.num, value: s.value, ncount: s.ncount, zcount: s.zcount, pid: s.pid })) : null),
  },
];

export const QUEUE_FIELDS: readonly KindField<QueueInfo>[] = [
  ...permFields<QueueInfo>('message queue', 'msqid'),
  { name: 'qnum', type: 'integer', ipcs: 'messages', help: 'messages queued', value: (r) => r.qnum, column: { head: 'MESSAGES', align: 'right', cell: (r) => r.qnum.toString() } },
  {
    name: 'cbytes', type: 'integer', ipcs: 'used-bytes', help: 'bytes queued', value: (r) => r.cbytes,
    column: { head: 'BYTES', align: 'right', cell: (r, c) => (c.human ? humanSize(r.cbytes) : r.cbytes.toString()) },
  },
  { name: 'qbytes', type: 'integer', nullable: true, ipcs: 'qbytes', help: 'the most bytes it holds (msg_qbytes); null in list, where /proc/sysvipc/msg does not say', value: (r) => r.qbytes },
  { name: 'lspid', type: 'integer', ipcs: 'lspid', help: 'the pid of the last msgsnd; 0 for none, or not visible from this PID namespace', value: (r) => r.lspid, column: { head: 'LSPID', align: 'right', cell: (r, c) => pidCell(r.lspid, c) } },
  { name: 'lrpid', type: 'integer', ipcs: 'lrpid', help: 'the pid of the last msgrcv; 0 for none, or not visible from this PID namespace', value: (r) => r.lrpid, column: { head: 'LRPID', align: 'right', cell: (r, c) => pidCell(r.lrpid, c) } },
  { name: 'stime', type: 'time', nullable: true, ipcs: 'send', help: 'the last msgsnd', value: (r) => time(r.stime), column: { head: 'SENT', align: 'left', cell: (r, c) => timeCell(r.stime, c) } },
  { name: 'rtime', type: 'time', nullable: true, ipcs: 'recv', help: 'the last msgrcv', value: (r) => time(r.rtime), column: { head: 'RECEIVED', align: 'left', cell: (r, c) => timeCell(r.rtime, c) } },
  { name: 'ctime', type: 'time', nullable: true, ipcs: 'change', help: 'its creation, or the last IPC_SET', value: (r) => time(r.ctime), column: { head: 'CHANGED', align: 'left', cell: (r, c) => shortTime(r.ctime, c.now) } },
];

/** A record as a JSON value, its members in the field table's order. */
export function kindJson<R>(fields: readonly KindField<R>[], r: R, names: Names): Record<string, Json> {
  const o: Record<string, Json> = {};
  for (const f of fields) o[f.name] = f.value(r, names);
  return o;
}

/** A record as pretty-printed JSON text, lines indented from pad. */
export function kindJsonText<R>(fields: readonly KindField<R>[], r: R, names: Names, pad = ''): string {
  return toJson(kindJson(fields, r, names), 2, pad);
}

/** The columns of a table view: the fields named, in that order. */
export function kindColumns<R>(fields: readonly KindField<R>[], names: readonly string[]): Array<NonNullable<KindField<R>['column']>> {
  return names.map((name) => {
    const f = fields.find((x) => x.name === name);
    if (!f?.column) throw new Error(`no column for field ${name}`);
    return f.column;
  });
}
