// util-linux ipcs formats for shared memory, byte for byte (util-linux 2.38: ipcs.c do_shm, print_shm,
// ipcutils.c ipc_print_size). Pure functions of the data: names come in through `names`.
import type { ShmLimits, ShmUsage } from '../../core/limits.js';
import type { Names } from '../../core/names.js';
import { U64_MAX, formatKey } from '../../core/parse.js';
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
 * therefore byte strings, which ipcsList turns into the bytes to print.
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
  const out: string[] = [];
  switch (format) {
    case 'time':
      out.push('------ Shared Memory Attach/Detach/Change Times --------\n');
      out.push(`${padEnd('shmid', 10)} ${padEnd('owner', 10)} ${padEnd('attached', 20)} ${padEnd('detached', 20)} ${padEnd('changed', 20)}\n`);
      for (const s of segments) {
        out.push(`${padEnd(String(s.id), 10)} ${owner(s.uid, names)}${shortCtime(s.atime)}${shortCtime(s.dtime)}${shortCtime(s.ctime)}\n`);
      }
      break;
    case 'pid':
      out.push('------ Shared Memory Creator/Last-op PIDs --------\n');
      out.push(`${padEnd('shmid', 10)} ${padEnd('owner', 10)} ${padEnd('cpid', 10)} ${padEnd('lpid', 10)}\n`);
      for (const s of segments) {
        out.push(`${padEnd(String(s.id), 10)} ${owner(s.uid, names)} ${padEnd(String(s.cpid), 10)} ${padEnd(String(s.lpid), 10)}\n`);
      }
      break;
    case 'creator': {
      out.push('------ Shared Memory Segment Creators/Owners --------\n');
      out.push(['shmid', 'perms', 'cuid', 'cgid', 'uid', 'gid'].map((h) => padEnd(h, 10)).join(' ') + '\n');
      const u = (uid: number) => padEnd(bytesOf(names.user(uid) ?? String(uid)), 10);
      const g = (gid: number) => padEnd(bytesOf(names.group(gid) ?? String(gid)), 10);
      for (const s of segments) {
        out.push(`${padEnd(String(s.id), 10)} ${padEnd(oct(s.mode), 10)} ${u(s.cuid)} ${g(s.cgid)} ${u(s.uid)} ${g(s.gid)}\n`);
      }
      break;
    }
    default: {
      out.push('------ Shared Memory Segments --------\n');
      out.push(['key', 'shmid', 'owner', 'perms', unit === 'human' ? 'size' : 'bytes', 'nattch'].map((h) => padEnd(h, 10)).join(' ') + ' ' + padEnd('status', 12) + '\n');
      for (const s of segments) {
        const size = unit === 'human' ? padStart(humanSize(s.size), 6) + '    ' : padEnd(s.size.toString(), 10);
        out.push(`${formatKey(s.key)} ${padEnd(String(s.id), 10)} ${owner(s.uid, names)} ${padEnd(oct(s.mode), 10)} ${size} ${padEnd(String(s.nattch), 10)} ${padEnd(s.dest ? 'dest' : ' ', 6)} ${padEnd(s.locked ? 'locked' : ' ', 6)}\n`);
      }
    }
  }
  return out.join('');
}

/** `ipcs -m [-t|-p|-c] [-b|--human]` exactly: a blank line, the section, a blank line. */
export function ipcsList(segments: SegmentInfo[], format: IpcsFormat, unit: IpcsUnit, names: Names): Buffer {
  return Buffer.from('\n' + ipcsSegments(segments, format, unit, names) + '\n', 'latin1');
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
