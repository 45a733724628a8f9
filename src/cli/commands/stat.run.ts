// The work of `shmkit stat`, loaded only when that command runs.
import { attachedTo, isHugePageSize, pageSizeOf, pidAlive, probePageSize } from '../../core/attached.js';
import { getSegment } from '../../core/list.js';
import { groupName, userName, NAMES } from '../../core/names.js';
import { formatKey, formatMode } from '../../core/parse.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { humanSize } from '../format/human.js';
import { printable } from '../format/printable.js';
import { ipcsQueueStat, ipcsSemStat, ipcsStat } from '../format/ipcs.js';
import { QUEUE_FIELDS, SEM_SET_FIELDS, kindJson } from '../format/kind-fields.js';
import { toJson } from '../format/json.js';
import { type IpcTarget, semaphoreSetsByKey, semaphoresOf, statQueue, statSemaphoreSet } from '../../core/kinds.js';
import { scanWaiters } from '../../core/waiters.js';
import { permsString, segmentJsonText, statusString } from '../format/fields.js';
import { ctime } from '../format/time.js';
import { targetFrom } from '../options.js';
import { choice } from '../spec.js';
import { print } from '../output.js';


export
interface Opts { id?: string; key?: string; ftok?: string; json?: boolean; format?: string; human?: boolean; probe?: boolean; sem?: boolean; queue?: boolean }

export function run(opts: Opts, id?: string): void {
  const format = opts.json ? 'json' : choice<'text' | 'json' | 'ipcs'>(opts.format, 'text');
  if (opts.sem) {
    statSet(targetFrom(opts, id, 'semaphore set'), format);
    return;
  }
  if (opts.queue) {
    statQueueOf(targetFrom(opts, id, 'queue'), format, opts.human === true);
    return;
  }
  let info = getSegment(targetFrom(opts, id));
  if (format === 'ipcs') {
    print(ipcsStat(info, opts.human ? 'human' : 'default'));
    return;
  }
  let attached = info.nattch > 0 ? attachedTo(info.id) : [];
  let pageSize = pageSizeOf(attached);
  if (opts.probe && pageSize === null) {
    pageSize = probePageSize(info.id);
    // The record after the probe: its attach and detach times and lpid are the probe's now, and so says IPC_STAT.
    info = getSegment({ id: info.id });
    attached = info.nattch > 0 ? attachedTo(info.id) : [];
  }
  const semaphoreSet = info.key === 0 ? null : semaphoreSetsByKey().get(info.key) ?? null;
  if (format === 'json') {
    print(segmentJsonText(info, NAMES, attached, '', { pageSize, semaphoreSet }) + '\n');
    return;
  }
  print(statText(info, attached, pageSize, semaphoreSet));
}

function statSet(target: IpcTarget, format: 'text' | 'json' | 'ipcs'): void {
  const set = statSemaphoreSet(target);
  const semaphores = semaphoresOf(set.id, set.nsems);
  if (format === 'ipcs') {
    print(ipcsSemStat(set, semaphores));
    return;
  }
  const waiters = scanWaiters().sem.get(set.id) ?? [];
  if (format === 'json') {
    const waitersOf = (num: number) => waiters.filter((w) => w.ops?.some((o) => o.num === num));
    // Each semaphore's waiters, where /proc showed them, after the kernel's counts.
    print(toJson({
      ...kindJson(SEM_SET_FIELDS, { ...set, semaphores }, NAMES),
      semaphores: semaphores.map((e) => ({
        num: e.num, value: e.value, ncount: e.ncount, zcount: e.zcount, pid: e.pid,
        waiting: waitersOf(e.num).map((w) => ({ pid: w.pid, command: w.command, op: w.ops?.find((x) => x.num === e.num)?.op ?? null })),
      })),
      waiting: waiters.map((w) => ({ pid: w.pid, command: w.command, call: w.call, ops: w.ops })),
    }) + '\n');
    return;
  }
  const rows: Array<[string, string]> = [
    ['id', String(set.id)],
    ['key', set.key === 0 ? `${formatKey(set.key)} (IPC_PRIVATE)` : formatKey(set.key)],
    ['perms', `${formatMode(set.mode)} (${permsString(set.mode)})`],
    ['owner', who(set.uid, set.gid)],
    ['creator', who(set.cuid, set.cgid)],
    ['semaphores', String(set.nsems)],
    ['last semop', set.otime ? ctime(set.otime) : 'never'],
    ['change time', ctime(set.ctime)],
  ];
  let out = rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n\n';
  const table = [['NUM', 'VALUE', 'NCOUNT', 'ZCOUNT', 'LAST PID', 'WAITING']];
  for (const e of semaphores) {
    const w = waiters.filter((x) => x.ops?.some((o) => o.num === e.num)).map((x) => {
      const op = x.ops?.find((o) => o.num === e.num)?.op ?? 0;
      return `${x.pid} ${printable(x.command)} (${op === 0 ? 'for zero' : op < 0 ? `to take ${-op}` : `to give ${op}`})`;
    });
    table.push([String(e.num), String(e.value), String(e.ncount), String(e.zcount), e.pid === 0 ? '-' : pidState(e.pid), w.join(', ')]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  out += table.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
  const unknown = waiters.filter((w) => w.ops === null);
  if (unknown.length) out += `\nwaiting (semaphores not readable): ${unknown.map((w) => `${w.pid} ${printable(w.command)}`).join(', ')}\n`;
  print(out);
}

function statQueueOf(target: IpcTarget, format: 'text' | 'json' | 'ipcs', human: boolean): void {
  const q = statQueue(target);
  if (format === 'ipcs') {
    print(ipcsQueueStat(q, human ? 'human' : 'default'));
    return;
  }
  const waiters = scanWaiters().msg.get(q.id) ?? [];
  if (format === 'json') {
    print(toJson({ ...kindJson(QUEUE_FIELDS, q, NAMES), waiting: waiters.map((w) => ({ pid: w.pid, command: w.command, call: w.call })) }) + '\n');
    return;
  }
  const rows: Array<[string, string]> = [
    ['id', String(q.id)],
    ['key', q.key === 0 ? `${formatKey(q.key)} (IPC_PRIVATE)` : formatKey(q.key)],
    ['perms', `${formatMode(q.mode)} (${permsString(q.mode)})`],
    ['owner', who(q.uid, q.gid)],
    ['creator', who(q.cuid, q.cgid)],
    ['messages', `${q.qnum} (${q.cbytes} bytes of ${q.qbytes ?? '?'})`],
    ['last sender', q.lspid === 0 ? (q.stime ? pidState(0) : 'none') : pidState(q.lspid)],
    ['last receiver', q.lrpid === 0 ? (q.rtime ? pidState(0) : 'none') : pidState(q.lrpid)],
    ['send time', q.stime ? ctime(q.stime) : 'never'],
    ['receive time', q.rtime ? ctime(q.rtime) : 'never'],
    ['change time', ctime(q.ctime)],
  ];
  for (const w of waiters) rows.push(['waiting', `${w.pid} ${printable(w.command)} (in ${w.call})`]);
  print(rows.map(([k, v]) => `${k.padEnd(13)} ${v}`).join('\n') + '\n');
}

/** The pages row: huge or not, and where that was learnt. */
function pagesText(pageSize: number | null, nattch: number): string {
  if (pageSize === null) {
    return nattch > 0 ? 'unknown (the processes that have it attached are not visible)' : 'unknown until attached (--probe attaches to look)';
  }
  const each = pageSize >= 2 ** 30 ? `${pageSize / 2 ** 30} GiB` : pageSize >= 2 ** 20 ? `${pageSize / 2 ** 20} MiB` : `${pageSize / 1024} KiB`;
  return isHugePageSize(pageSize) ? `huge pages of ${each} (SHM_HUGETLB)` : `normal pages of ${each}`;
}

function who(uid: number, gid: number): string {
  const u = userName(uid);
  const g = groupName(gid);
  return `${u ?? uid} (uid ${uid}), group ${g ?? gid} (gid ${gid})`;
}

/** A pid of 0 is a process this PID namespace cannot see; only lpid of a segment never attached is nobody. */
function pidState(pid: number, nobody = false): string {
  if (pid === 0) return nobody ? 'none' : '0 (not visible from this PID namespace)';
  return `${pid} (${pidAlive(pid) ? 'running' : 'gone'})`;
}

export function statText(s: SegmentInfo, attached: AttachedProcess[], pageSize: number | null = pageSizeOf(attached), semaphoreSet: number | null = null): string {
  const rows: Array<[string, string]> = [
    ['id', String(s.id)],
    ['key', s.key === 0 ? `${formatKey(s.key)} (${s.dest ? 'removed' : 'IPC_PRIVATE'})` : formatKey(s.key)],
    ['size', `${s.size} bytes (${humanSize(s.size)})`],
    ['perms', `${formatMode(s.mode)} (${permsString(s.mode)})`],
    ['owner', who(s.uid, s.gid)],
    ['creator', who(s.cuid, s.cgid)],
    ['status', statusString(s) || '-'],
    ['pages', pagesText(pageSize, s.nattch)],
    ...(semaphoreSet === null ? [] : [['semaphores', `set ${semaphoreSet} has the same key (shmkit stat --sem ${semaphoreSet})`] as [string, string]]),
    ['attached', `${s.nattch} (nattch)`],
  ];
  for (const p of attached) rows.push(['', `pid ${p.pid} ${printable(p.command)}${p.attachments > 1 ? ` (${p.attachments} times)` : ''}`]);
  if (s.nattch > 0 && attached.length === 0) rows.push(['', '(processes not visible: another pid namespace, or /proc not readable)']);
  rows.push(
    ['creator pid', pidState(s.cpid)],
    ['last pid', pidState(s.lpid, s.atime === 0 && s.dtime === 0)],
    ['attach time', s.atime ? ctime(s.atime) : 'never'],
    ['detach time', s.dtime ? ctime(s.dtime) : 'never'],
    ['change time', ctime(s.ctime)],
  );
  if (s.rss !== null) rows.push(['resident', `${s.rss} bytes (${humanSize(s.rss)})`]);
  if (s.swap !== null) rows.push(['swapped', `${s.swap} bytes (${humanSize(s.swap)})`]);
  return rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n';
}
