// The work of `shmkit info`, loaded only when that command runs.
import { type ShmSystemInfo, getSystemInfo } from '../../core/limits.js';
import { U64_MAX, parsePositive, parseSize } from '../../core/parse.js';
import { willFit } from '../../core/fits.js';
import { doesNotFit, fitsJson, fitsText } from '../format/fits.js';
import { humanSize } from '../format/human.js';
import {
  type IpcsUnit, ipcsAllInfo, ipcsInfo, ipcsLimitsSection, ipcsMsgLimitsSection, ipcsMsgSummarySection, ipcsSemLimitsSection,
  ipcsSemSummarySection, ipcsSummarySection,
} from '../format/ipcs.js';
import { type MsgLimits, type MsgUsage, type SemLimits, type SemUsage, getMsgLimits, getMsgUsage, getSemLimits, getSemUsage } from '../../core/limits.js';
import { type Visited, checkVisits, eachNamespace, namespaceJson, namespaceLine } from '../namespaces.js';
import { currentIpcNamespace } from '../../core/namespace.js';
import type { Json } from '../format/json.js';
import { toJson } from '../format/json.js';
import { choice } from '../spec.js';
import { print } from '../output.js';

export
interface Opts {
  fits?: string; count?: string; json?: boolean; format?: string; limits?: boolean; summary?: boolean; bytes?: boolean; human?: boolean; source?: string;
  kind?: string; allNamespaces?: boolean;
}

export function run(opts: Opts): void {
  const format = opts.json ? 'json' : choice<'text' | 'json' | 'ipcs'>(opts.format, 'text');
  if (opts.fits !== undefined) {
    const answer = willFit(parseSize(opts.fits), opts.count === undefined ? 1 : parsePositive(opts.count, 'count'), choice(opts.source, 'auto'));
    print(format === 'json' ? fitsJson(answer) : fitsText(answer));
    if (!answer.fits) throw doesNotFit(answer);
    return;
  }
  if (opts.allNamespaces) {
    everyNamespace(opts, format);
    return;
  }
  print(render(opts, format));
}

/** What info prints in the namespace it is in, for the format asked. */
function render(opts: Opts, format: 'text' | 'json' | 'ipcs'): string {
  const which = whichOf(opts);
  const source = choice<'auto' | 'proc' | 'kernel'>(opts.source, 'auto');
  const kind = choice<'shm' | 'sem' | 'msg' | 'all'>(opts.kind, 'shm');
  if (kind !== 'shm') return kinds(kind, format, which, source, opts.bytes ? 'bytes' : opts.human ? 'human' : 'default');
  const { limits, usage, pageSize, ipcNamespace } = getSystemInfo(source);
  if (format === 'ipcs') return ipcsInfo(limits, usage, pageSize, opts.bytes ? 'bytes' : opts.human ? 'human' : 'default', which);
  if (format === 'json') {
    const out: Record<string, import('../format/json.js').Json> = {};
    if (which.limits) out.limits = { shmmax: limits.shmmax, shmmin: limits.shmmin, shmmni: limits.shmmni, shmseg: limits.shmseg, shmall: limits.shmall };
    if (which.summary) {
      out.usage = {
        usedIds: usage.usedIds, shmTot: usage.shmTot, shmRss: usage.shmRss, shmSwp: usage.shmSwp,
        swapAttempts: usage.swapAttempts, swapSuccesses: usage.swapSuccesses,
      };
    }
    out.pageSize = pageSize;
    out.ipcNamespace = ipcNamespace && { inode: ipcNamespace.inode, initial: ipcNamespace.initial };
    return toJson(out) + '\n';
  }
  return rowsText(shmRows({ limits, usage, pageSize, ipcNamespace }, which));
}

type Rows = Array<[string, string] | string>;

/** Headings, and label/value rows aligned under them. */
function rowsText(rows: Rows): string {
  const width = Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : r[0].length)));
  return rows.map((r) => (typeof r === 'string' ? r : `  ${r[0].padEnd(width)}  ${r[1]}`)).join('\n') + '\n';
}

/** The segments' limits and usage as info's text says them. */
function shmRows({ limits, usage, pageSize, ipcNamespace }: ShmSystemInfo, which: Which): Rows {
  const pg = BigInt(pageSize);
  const rows: Rows = [];
  if (which.limits) {
    const total = limits.shmall * pg > U64_MAX ? U64_MAX : limits.shmall * pg;
    rows.push('Limits',
      ['largest segment (shmmax)', `${limits.shmmax} bytes (${humanSize(limits.shmmax)})`],
      ['smallest segment (shmmin)', `${limits.shmmin} byte${limits.shmmin === 1n ? '' : 's'}`],
      ['segments on the system (shmmni)', `${limits.shmmni}`],
      ['segments per process (shmseg)', `${limits.shmseg}`],
      ['all segments together (shmall)', `${limits.shmall} pages (${total} bytes, ${humanSize(total)})`]);
  }
  if (which.summary) {
    rows.push('Usage',
      ['segments', `${usage.usedIds}`],
      ['pages allocated', `${usage.shmTot} (${humanSize(usage.shmTot * pg)})`],
      ['pages resident', `${usage.shmRss} (${humanSize(usage.shmRss * pg)})`],
      ['pages swapped', `${usage.shmSwp} (${humanSize(usage.shmSwp * pg)})`]);
  }
  rows.push(['page size', `${pageSize} bytes`]);
  if (ipcNamespace) {
    rows.push(['IPC namespace', ipcNamespace.initial ? `${ipcNamespace.inode} (the host's)`
      : `${ipcNamespace.inode} (not the host's: this namespace has segments and limits of its own)`]);
  }
  return rows;
}

type Which = { limits: boolean; summary: boolean };

/** -l and -u: the limits, the usage, or (neither given) both. */
function whichOf(opts: Opts): Which {
  return opts.limits || opts.summary ? { limits: opts.limits ?? false, summary: opts.summary ?? false } : { limits: true, summary: true };
}

/** A kind's limits and usage as --json has them: the parts -l and -u asked for. */
function jsonPart(which: Which, p: { limits: object; usage: object }): Record<string, Json> {
  return { ...(which.limits ? { limits: p.limits as Record<string, Json> } : {}), ...(which.summary ? { usage: p.usage as Record<string, Json> } : {}) };
}

/** info --kind sem, msg or all: each kind's limits and usage, in the format asked. */
function kinds(kind: 'sem' | 'msg' | 'all', format: 'text' | 'json' | 'ipcs', which: Which, source: 'auto' | 'proc' | 'kernel', unit: IpcsUnit): string {
  const shm = kind === 'all' ? getSystemInfo(source) : null;
  const sem = kind === 'all' || kind === 'sem' ? { limits: getSemLimits(source), usage: getSemUsage(source) } : null;
  const msg = kind === 'all' || kind === 'msg' ? { limits: getMsgLimits(source), usage: getMsgUsage(source) } : null;
  if (format === 'ipcs') {
    // One ipcs run per section asked, as ipcs -l and ipcs -u are two runs.
    let out = '';
    if (which.limits) {
      out += ipcsAllInfo({
        ...(msg ? { msg: ipcsMsgLimitsSection(msg.limits, unit) } : {}),
        ...(shm ? { shm: ipcsLimitsSection(shm.limits, shm.pageSize, unit) } : {}),
        ...(sem ? { sem: ipcsSemLimitsSection(sem.limits) } : {}),
      });
    }
    if (which.summary) {
      out += ipcsAllInfo({
        ...(msg ? { msg: ipcsMsgSummarySection(msg.usage, unit) } : {}),
        ...(shm ? { shm: ipcsSummarySection(shm.usage) } : {}),
        ...(sem ? { sem: ipcsSemSummarySection(sem.usage) } : {}),
      });
    }
    return out;
  }
  const ns = currentIpcNamespace();
  if (format === 'json') {
    const part = (p: { limits: object; usage: object }) => jsonPart(which, p);
    // One kind: its limits and usage at the top, as info prints segments'; all: one member per kind.
    const body: Record<string, Json> = kind === 'sem' && sem ? part(sem) : kind === 'msg' && msg ? part(msg) : {
      ...(shm ? { shm: { ...part(shm), pageSize: shm.pageSize } } : {}), ...(sem ? { sem: part(sem) } : {}), ...(msg ? { msg: part(msg) } : {}),
    };
    return toJson({ ...body, ipcNamespace: ns && { inode: ns.inode, initial: ns.initial } }) + '\n';
  }
  const rows: Rows = [];
  if (sem) {
    if (which.limits) {
      rows.push('Semaphore limits',
        ['sets on the system (semmni)', `${sem.limits.semmni}`],
        ['semaphores in a set (semmsl)', `${sem.limits.semmsl}`],
        ['semaphores on the system (semmns)', `${sem.limits.semmns}`],
        ['operations in one semop (semopm)', `${sem.limits.semopm}`],
        ['largest value (semvmx)', `${sem.limits.semvmx}`]);
    }
    if (which.summary) rows.push('Semaphore usage', ['sets', `${sem.usage.sets}`], ['semaphores', `${sem.usage.semaphores}`]);
  }
  if (msg) {
    if (which.limits) {
      rows.push('Message queue limits',
        ['queues on the system (msgmni)', `${msg.limits.msgmni}`],
        ['largest message (msgmax)', `${msg.limits.msgmax} bytes`],
        ['bytes a new queue holds (msgmnb)', `${msg.limits.msgmnb} bytes`]);
    }
    if (which.summary) rows.push('Message queue usage', ['queues', `${msg.usage.queues}`], ['messages', `${msg.usage.messages}`], ['bytes queued', `${msg.usage.bytes}`]);
  }
  // With all: the segments' part as info prints it alone, after the other kinds (read once, above).
  return (rows.length ? rowsText(rows) : '') + (shm ? rowsText(shmRows(shm, which)) : '');
}

/** Every namespace's limits and usage, read inside it. */
interface NamespaceNumbers {
  shm: ShmSystemInfo;
  sem: { limits: SemLimits; usage: SemUsage };
  msg: { limits: MsgLimits; usage: MsgUsage };
  /** info --format ipcs's text in it. */
  ipcs: string | undefined;
}

/**
 * info --all-namespaces: each namespace's limits and usage, the one with the most shared memory in use first. The
 * text is a table of one line each; --json an array of {namespace, shm, sem, msg}; --format ipcs each namespace's
 * ipcs text under a line naming it.
 */
function everyNamespace(opts: Opts, format: 'text' | 'json' | 'ipcs'): void {
  const source = choice<'auto' | 'proc' | 'kernel'>(opts.source, 'auto');
  const visits = eachNamespace((): NamespaceNumbers => ({
    shm: getSystemInfo(source),
    sem: { limits: getSemLimits(source), usage: getSemUsage(source) },
    msg: { limits: getMsgLimits(source), usage: getMsgUsage(source) },
    ipcs: format === 'ipcs' ? render(opts, 'ipcs') : undefined,
  }));
  const used = (v: Visited<NamespaceNumbers>) => (v.result ? v.result.shm.usage.shmTot * BigInt(v.result.shm.pageSize) : -1n);
  const sorted = [...visits.visited].sort((a, b) => (used(b) > used(a) ? 1 : used(b) < used(a) ? -1 : a.ns.inode - b.ns.inode));
  if (format === 'ipcs') {
    print(sorted.map((v) => namespaceLine(v) + (v.result?.ipcs ?? '')).join(''));
  } else if (format === 'json') {
    const which = whichOf(opts);
    const part = (p: { limits: object; usage: object }) => jsonPart(which, p);
    print(toJson(sorted.map((v): Json => ({
      namespace: namespaceJson(v),
      ...(v.result ? {
        shm: { ...part({ limits: v.result.shm.limits, usage: v.result.shm.usage }), pageSize: v.result.shm.pageSize },
        sem: part(v.result.sem), msg: part(v.result.msg),
      } : {}),
    }))) + '\n');
  } else {
    print(namespaceTable(sorted));
  }
  checkVisits('info', visits);
}

/** One line per namespace: who is in it, and how much of each limit it uses. */
function namespaceTable(sorted: Array<Visited<NamespaceNumbers>>): string {
  const head = ['NAMESPACE', 'PID', 'COMMAND', 'CONTAINER', 'SEGMENTS', 'SHM USED', 'OF SHMALL', 'SEM SETS', 'QUEUES', 'QUEUED'];
  const rows = sorted.map((v) => {
    const r = v.result;
    const container = v.ns.container ? `${v.ns.container.runtime} ${v.ns.container.id.slice(0, 12)}` : v.ns.pid === null && v.ns.mounts.length ? 'bind mount' : '-';
    const ns = [`${v.ns.inode}`, v.ns.pid === null ? '-' : `${v.ns.pid}`, v.ns.command ?? '-', container];
    if (!r) return [...ns, 'not entered', '', '', '', '', ''];
    const pages = r.shm.usage.shmTot;
    const share = r.shm.limits.shmall === 0n ? '-' : `${(Number((pages * 10000n) / r.shm.limits.shmall) / 100).toFixed(2)}%`;
    return [...ns, `${r.shm.usage.usedIds}/${r.shm.limits.shmmni}`, humanSize(pages * BigInt(r.shm.pageSize)), share,
      `${r.sem.usage.sets}/${r.sem.limits.semmni}`, `${r.msg.usage.queues}/${r.msg.limits.msgmni}`, humanSize(r.msg.usage.bytes)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const right = new Set([1, 4, 5, 6, 7, 8, 9]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
  return line(head) + rows.map(line).join('');
}
