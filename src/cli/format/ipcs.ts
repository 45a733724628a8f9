// util-linux ipcs formats, byte for byte, for segments, semaphore sets and message queues (util-linux 2.38: ipcs.c
// do_shm, do_sem, do_msg, print_shm, print_sem, print_msg, ipcutils.c ipc_print_size and ipc_print_perms). Pure
// functions of the data: names come in through `names`.
import type { IpcObject, QueueInfo, SemaphoreSetInfo, SemaphoreState } from '../../core/kinds.js';
import type { MsgLimits, MsgUsage, SemLimits, SemUsage, ShmLimits, ShmUsage } from '../../core/limits.js';
import type { Names } from '../../core/names.js';
import { U64_MAX, formatKey } from '../../core/parse.js';
import { integerText } from '../../core/list.js';
import type { SegmentInfo } from '../../core/types.js';
import { humanSize } from './human.js';
import { ctime } from './time.js';

export type IpcsFormat = 'default' | 'time' | 'pid' | 'creator';
export type IpcsUnit = 'default' | 'bytes' | 'human';

const padEnd = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padStart = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
/**
 * A name as printf sees it: its UTF-8 bytes, one char per byte, so that widths and cuts count bytes as %-10.10s
 * does ("jürgenmüller" is 14 bytes; cut to 10 it ends inside a character, and so does ipcs's). The rows are
 * therefore byte strings, written out as latin1 (one byte per character).
 */
const bytesOf = (name: string) => Buffer.from(name, 'utf8').toString('latin1');
/** printf %-10.10s of the owner name, or %-10u of the uid. */
const owner = (uid: number, names: Names) => {
  const name = names.user(uid);
  return name === null ? padEnd(String(uid), 10) : padEnd(bytesOf(name).slice(0, 10), 10);
};
const oct = (n: number) => n.toString(8);
/** printf %#o */
const altOct = (n: number) => (n === 0 ? '0' : '0' + n.toString(8));
/** " %-20.16s" of ctime(t)+4, or "Not set" */
const shortCtime = (t: number) => ' ' + padEnd(t ? (ctime(t).slice(4) + '\n').slice(0, 16) : 'Not set', 20);

/** The rows part of `ipcs -m` (and -t, -p, -c): title, header and rows, without the framing newlines. */
export function ipcsSegments(segments: SegmentInfo[], format: IpcsFormat, unit: IpcsUnit, names: Names): string {
  const { head, row } = ipcsSegmentRows(format, unit, names);
  let out = head;
  for (const s of segments) out += row(s);
  return out;
}

/**
 * The title and header of `ipcs -m` in a view, and the text of one row: what a listing of thousands writes a row at
 * a time (list --format ipcs), keeping no record. Integers are the kernel's digits where the record has them.
 */
export function ipcsSegmentRows(format: IpcsFormat, unit: IpcsUnit, names: Names): { head: string; row: (s: SegmentInfo) => string } {
  const id = (s: SegmentInfo) => padEnd(integerText(s, 'id'), 10);
  switch (format) {
    case 'time':
      return {
        head: '------ Shared Memory Attach/Detach/Change Times --------\n'
          + `${padEnd('shmid', 10)} ${padEnd('owner', 10)} ${padEnd('attached', 20)} ${padEnd('detached', 20)} ${padEnd('changed', 20)}\n`,
        row: (s) => `${id(s)} ${owner(s.uid, names)}${shortCtime(s.atime)}${shortCtime(s.dtime)}${shortCtime(s.ctime)}\n`,
      };
    case 'pid':
      return {
        head: '------ Shared Memory Creator/Last-op PIDs --------\n'
          + `${padEnd('shmid', 10)} ${padEnd('owner', 10)} ${padEnd('cpid', 10)} ${padEnd('lpid', 10)}\n`,
        row: (s) => `${id(s)} ${owner(s.uid, names)} ${padEnd(integerText(s, 'cpid'), 10)} ${padEnd(integerText(s, 'lpid'), 10)}\n`,
      };
    case 'creator': {
      const u = (uid: number) => padEnd(bytesOf(names.user(uid) ?? String(uid)), 10);
      const g = (gid: number) => padEnd(bytesOf(names.group(gid) ?? String(gid)), 10);
      return {
        head: '------ Shared Memory Segment Creators/Owners --------\n'
          + ['shmid', 'perms', 'cuid', 'cgid', 'uid', 'gid'].map((h) => padEnd(h, 10)).join(' ') + '\n',
        row: (s) => `${id(s)} ${padEnd(oct(s.mode), 10)} ${u(s.cuid)} ${g(s.cgid)} ${u(s.uid)} ${g(s.gid)}\n`,
      };
    }
    default: {
      const size = unit === 'human' ? (s: SegmentInfo) => padStart(humanSize(s.size), 6) + '    ' : (s: SegmentInfo) => padEnd(integerText(s, 'size'), 10);
      return {
        head: '------ Shared Memory Segments --------\n'
          + ['key', 'shmid', 'owner', 'perms', unit === 'human' ? 'size' : 'bytes', 'nattch'].map((h) => padEnd(h, 10)).join(' ') + ' ' + padEnd('status', 12) + '\n',
        row: (s) => `${formatKey(s.key)} ${id(s)} ${owner(s.uid, names)} ${padEnd(oct(s.mode), 10)} ${size(s)} ${padEnd(integerText(s, 'nattch'), 10)} ${s.dest ? 'dest  ' : '      '} ${s.locked ? 'locked' : '      '}\n`,
      };
    }
  }
}

/** `ipcs -m -i ID` exactly. */
export function ipcsStat(s: SegmentInfo, unit: IpcsUnit): string {
  const fullMode = s.mode | (s.dest ? 0o1000 : 0) | (s.locked ? 0o2000 : 0);
  const size = unit === 'human' ? `size=${humanSize(s.size)}` : `bytes=${s.size}`;
  // printf("%-26.24s") of ctime(t): the 24 characters without the newline, padded to 26; "Not set" for 0.
  const t = (label: string, v: number, check: boolean) => `${label}=${padEnd(v || !check ? ctime(v) : 'Not set', 26)}\n`;
  return `\nShared memory Segment shmid=${s.id}\n`
    + `uid=${s.uid}\tgid=${s.gid}\tcuid=${s.cuid}\tcgid=${s.cgid}\n`
    + `mode=${altOct(fullMode)}\taccess_perms=${altOct(s.mode)}\n`
    + `${size}\tlpid=${s.lpid}\tcpid=${s.cpid}\tnattch=${s.nattch}\n`
    + t('att_time', s.atime, true)
    + t('det_time', s.dtime, true)
    + t('change_time', s.ctime, false)
    + '\n';
}


/** The section of `ipcs -m -l` (without framing). shmall is in pages. */
export function ipcsLimitsSection(l: ShmLimits, pageSize: number, unit: IpcsUnit): string {
  const pg = BigInt(pageSize);
  const size = (label: string, u: 'bytes' | 'kb' | 'human' | 'plain', v: bigint) => {
    const head = u === 'bytes' ? `${label} (bytes) = ` : u === 'kb' ? `${label} (kbytes) = ` : `${label} = `;
    const value = u === 'kb' ? (v / 1024n).toString() : u === 'human' ? humanSize(v) : v.toString();
    return head + value + '\n';
  };
  let out = '------ Shared Memory Limits --------\n';
  out += `max number of segments = ${l.shmmni}\n`;
  out += size('max seg size', unit === 'default' ? 'kb' : unit === 'bytes' ? 'bytes' : 'human', l.shmmax);
  if (unit === 'default') {
    const kpp = pg / 1024n;
    let tmp = (l.shmall * kpp) & U64_MAX;
    if (l.shmall !== 0n && tmp / l.shmall !== kpp) tmp = U64_MAX - (U64_MAX % kpp);
    out += size('max total shared memory (kbytes)', 'plain', tmp);
  } else {
    let tmp = (l.shmall * pg) & U64_MAX;
    if (l.shmall !== 0n && tmp / l.shmall !== pg) tmp = U64_MAX - (U64_MAX % pg);
    out += size('max total shared memory', unit === 'bytes' ? 'bytes' : 'human', tmp);
  }
  out += size('min seg size', unit === 'human' ? 'human' : 'bytes', l.shmmin);
  return out;
}

/** The section of `ipcs -m -u` (without framing); the unit does not apply, as in ipcs. */
export function ipcsSummarySection(u: ShmUsage): string {
  return '------ Shared Memory Status --------\n'
    + `segments allocated ${u.usedIds}\n`
    + `pages allocated ${u.shmTot}\n`
    + `pages resident  ${u.shmRss}\n`
    + `pages swapped   ${u.shmSwp}\n`
    + `Swap performance: ${u.swapAttempts} attempts\t ${u.swapSuccesses} successes\n`;
}

/** `ipcs -m -l`, `ipcs -m -u`, or both in that order, each framed as ipcs frames a section. */
export function ipcsInfo(l: ShmLimits, u: ShmUsage, pageSize: number, unit: IpcsUnit, which: { limits: boolean; summary: boolean }): string {
  let out = '';
  if (which.limits) out += '\n' + ipcsLimitsSection(l, pageSize, unit) + '\n';
  if (which.summary) out += '\n' + ipcsSummarySection(u) + '\n';
  return out;
}

// Semaphore sets and message queues (util-linux 2.38: ipcs.c do_sem, do_msg, print_sem, print_msg).

/** printf %-10d %-10.10s, or %-8d ... in the time and pid views. */
const idOwner = (id: number, uid: number, names: Names, width = 10) => `${padEnd(String(id), width)} ${owner(uid, names)}`;
/** ipc_print_perms: id, perms, then creator's and owner's names, not cut. */
function permsRow(o: IpcObject, names: Names): string {
  const u = (uid: number) => padEnd(bytesOf(names.user(uid) ?? String(uid)), 10);
  const g = (gid: number) => padEnd(bytesOf(names.group(gid) ?? String(gid)), 10);
  return `${padEnd(String(o.id), 10)} ${padEnd(oct(o.mode), 10)} ${u(o.cuid)} ${g(o.cgid)} ${u(o.uid)} ${g(o.gid)}\n`;
}
const creatorsHeader = (idName: string) => [idName, 'perms', 'cuid', 'cgid', 'uid', 'gid'].map((h) => padEnd(h, 10)).join(' ') + '\n';
/** "%-26.24s" of ctime(t), or of "Not set" */
const longCtime = (t: number) => padEnd(t ? ctime(t) : 'Not set', 26);

/** The section of `ipcs -s` (and -t, -c; -p prints nothing for semaphores), without the framing newlines. */
export function ipcsSemSets(sets: SemaphoreSetInfo[], format: IpcsFormat, names: Names): string {
  const out: string[] = [];
  switch (format) {
    case 'pid':
      return '';
    case 'creator':
      out.push('------ Semaphore Arrays Creators/Owners --------\n', creatorsHeader('semid'));
      for (const s of sets) out.push(permsRow(s, names));
      break;
    case 'time':
      out.push('------ Semaphore Operation/Change Times --------\n');
      out.push(`${padEnd('semid', 8)} ${padEnd('owner', 10)} ${padEnd('last-op', 26)} ${padEnd('last-changed', 26)}\n`);
      for (const s of sets) out.push(`${idOwner(s.id, s.uid, names, 8)}  ${longCtime(s.otime)} ${longCtime(s.ctime)}\n`);
      break;
    default:
      out.push('------ Semaphore Arrays --------\n');
      out.push(['key', 'semid', 'owner', 'perms', 'nsems'].map((h) => padEnd(h, 10)).join(' ') + '\n');
      for (const s of sets) out.push(`${formatKey(s.key)} ${idOwner(s.id, s.uid, names)} ${padEnd(oct(s.mode), 10)} ${padEnd(String(s.nsems), 10)}\n`);
  }
  return out.join('');
}

/** The section of `ipcs -q` (and -t, -p, -c; -b, --human), without the framing newlines. */
export function ipcsQueues(queues: QueueInfo[], format: IpcsFormat, unit: IpcsUnit, names: Names): string {
  const out: string[] = [];
  switch (format) {
    case 'creator':
      out.push('------ Message Queues Creators/Owners --------\n', creatorsHeader('msqid'));
      for (const q of queues) out.push(permsRow(q, names));
      break;
    case 'time':
      out.push('------ Message Queues Send/Recv/Change Times --------\n');
      out.push(`${padEnd('msqid', 8)} ${padEnd('owner', 10)} ${padEnd('send', 20)} ${padEnd('recv', 20)} ${padEnd('change', 20)}\n`);
      for (const q of queues) out.push(`${idOwner(q.id, q.uid, names, 8)}${shortCtime(q.stime)}${shortCtime(q.rtime)}${shortCtime(q.ctime)}\n`);
      break;
    case 'pid':
      out.push('------ Message Queues PIDs --------\n');
      out.push(['msqid', 'owner', 'lspid', 'lrpid'].map((h) => padEnd(h, 10)).join(' ') + '\n');
      for (const q of queues) out.push(`${idOwner(q.id, q.uid, names, 8)}  ${padStart(String(q.lspid), 5)}     ${padStart(String(q.lrpid), 5)}\n`);
      break;
    default:
      out.push('------ Message Queues --------\n');
      out.push(['key', 'msqid', 'owner', 'perms'].map((h) => padEnd(h, 10)).join(' ') + ` ${padEnd(unit === 'human' ? 'size' : 'used-bytes', 12)} ${padEnd('messages', 12)}\n`);
      for (const q of queues) {
        const used = unit === 'human' ? padStart(humanSize(q.cbytes), 6) + '      ' : padEnd(q.cbytes.toString(), 12);
        out.push(`${formatKey(q.key)} ${idOwner(q.id, q.uid, names)} ${padEnd(oct(q.mode), 10)} ${used} ${padEnd(q.qnum.toString(), 12)}\n`);
      }
  }
  return out.join('');
}

/** What a whole `ipcs [-a]` lists, in its order: queues, segments, semaphore sets; a kind left out is not printed. */
export interface IpcsAll {
  queues?: QueueInfo[];
  segments?: SegmentInfo[];
  sets?: SemaphoreSetInfo[];
}

/** `ipcs`, `ipcs -a`, `ipcs -q`, `ipcs -s`, `ipcs -m -s` ...: a blank line, then each section followed by one. */
export function ipcsAllList(all: IpcsAll, format: IpcsFormat, unit: IpcsUnit, names: Names): Buffer {
  let out = '\n';
  if (all.queues) out += ipcsQueues(all.queues, format, unit, names) + '\n';
  if (all.segments) out += ipcsSegments(all.segments, format, unit, names) + '\n';
  if (all.sets) out += ipcsSemSets(all.sets, format, names) + '\n';
  return Buffer.from(out, 'latin1');
}

/** `ipcs -s -i ID` exactly. */
export function ipcsSemStat(s: SemaphoreSetInfo, semaphores: SemaphoreState[]): string {
  let out = `\nSemaphore Array semid=${s.id}\n`
    + `uid=${s.uid}\t gid=${s.gid}\t cuid=${s.cuid}\t cgid=${s.cgid}\n`
    + `mode=${altOct(s.mode)}, access_perms=${altOct(s.mode)}\n`
    + `nsems = ${s.nsems}\n`
    + `otime = ${longCtime(s.otime)}\n`
    + `ctime = ${padEnd(ctime(s.ctime), 26)}\n`
    + ['semnum', 'value', 'ncount', 'zcount', 'pid'].map((h) => padEnd(h, 10)).join(' ') + '\n';
  for (const e of semaphores) out += [e.num, e.value, e.ncount, e.zcount, e.pid].map((v) => padEnd(String(v), 10)).join(' ') + '\n';
  return out + '\n';
}

/** ipc_print_size's value part: %ju, /1024 for kbytes, or the human form. */
const sized = (unit: IpcsUnit, v: bigint) => (unit === 'human' ? humanSize(v) : v.toString());

/** `ipcs -q -i ID` exactly. */
export function ipcsQueueStat(q: QueueInfo, unit: IpcsUnit): string {
  const c = unit === 'human' ? 'csize=' : 'cbytes=';
  const qb = unit === 'human' ? 'qsize=' : 'qbytes=';
  return `\nMessage Queue msqid=${q.id}\n`
    + `uid=${q.uid}\tgid=${q.gid}\tcuid=${q.cuid}\tcgid=${q.cgid}\tmode=${altOct(q.mode)}\n`
    + `${c}${sized(unit, q.cbytes)}\t${qb}${sized(unit, q.qbytes ?? 0n)}\tqnum=${q.qnum}\tlspid=${q.lspid}\tlrpid=${q.lrpid}\n`
    + `send_time=${longCtime(q.stime)}\n`
    + `rcv_time=${longCtime(q.rtime)}\n`
    + `change_time=${longCtime(q.ctime)}\n`
    + '\n';
}

/** ipc_print_size with a label: "(bytes)", "(kbytes)" or nothing, by unit. */
function labelled(label: string, unit: 'bytes' | 'human', v: bigint, end = '\n'): string {
  return (unit === 'bytes' ? `${label} (bytes) = ` : `${label} = `) + sized(unit, v) + end;
}

/** The section of `ipcs -s -l`. */
export function ipcsSemLimitsSection(l: SemLimits): string {
  return '------ Semaphore Limits --------\n'
    + `max number of arrays = ${l.semmni}\n`
    + `max semaphores per array = ${l.semmsl}\n`
    + `max semaphores system wide = ${l.semmns}\n`
    + `max ops per semop call = ${l.semopm}\n`
    + `semaphore max value = ${l.semvmx}\n`;
}

/** The section of `ipcs -s -u`. */
export function ipcsSemSummarySection(u: SemUsage): string {
  return `------ Semaphore Status --------\nused arrays = ${u.sets}\nallocated semaphores = ${u.semaphores}\n`;
}

/** The section of `ipcs -q -l`: sizes in bytes but with --human. */
export function ipcsMsgLimitsSection(l: MsgLimits, unit: IpcsUnit): string {
  const u = unit === 'human' ? 'human' : 'bytes';
  return '------ Messages Limits --------\n'
    + `max queues system wide = ${l.msgmni}\n`
    + labelled('max size of message', u, BigInt(l.msgmax))
    + labelled('default max size of queue', u, BigInt(l.msgmnb));
}

/** The section of `ipcs -q -u`: "used space = N bytes" by default, "(bytes) = N" with -b. */
export function ipcsMsgSummarySection(u: MsgUsage, unit: IpcsUnit): string {
  const space = unit === 'default' ? `used space = ${u.bytes} bytes\n` : labelled('used space', unit, u.bytes);
  return `------ Messages Status --------\nallocated queues = ${u.queues}\nused headers = ${u.messages}\n${space}`;
}

/** The sections of one ipcs -l or -u run over some kinds, in ipcs's order (queues, segments, semaphores), framed. */
export function ipcsAllInfo(sections: { msg?: string; shm?: string; sem?: string }): string {
  let out = '\n';
  for (const s of [sections.msg, sections.shm, sections.sem]) if (s !== undefined) out += s + '\n';
  return out;
}
