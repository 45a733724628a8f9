// The work of `shmkit stat`, loaded only when that command runs.
import { attachedTo, isHugePageSize, pageSizeOf, pidAlive, probePageSize } from '../../core/attached.js';
import { getSegment } from '../../core/list.js';
import { groupName, userName, NAMES } from '../../core/names.js';
import { formatKey, formatMode } from '../../core/parse.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { humanSize } from '../format/human.js';
import { printable } from '../format/printable.js';
import { ipcsStat } from '../format/ipcs.js';
import { permsString, segmentJsonText, statusString } from '../format/fields.js';
import { ctime } from '../format/time.js';
import { targetFrom } from '../options.js';
import { choice } from '../spec.js';
import { print } from '../output.js';


export
interface Opts { id?: string; key?: string; ftok?: string; json?: boolean; format?: string; human?: boolean; probe?: boolean }

export function run(opts: Opts, id?: string): void {
  const format = opts.json ? 'json' : choice<'text' | 'json' | 'ipcs'>(opts.format, 'text');
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
  if (format === 'json') {
    print(segmentJsonText(info, NAMES, attached, '', pageSize) + '\n');
    return;
  }
  print(statText(info, attached, pageSize));
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

export function statText(s: SegmentInfo, attached: AttachedProcess[], pageSize: number | null = pageSizeOf(attached)): string {
  const rows: Array<[string, string]> = [
    ['id', String(s.id)],
    ['key', s.key === 0 ? `${formatKey(s.key)} (${s.dest ? 'removed' : 'IPC_PRIVATE'})` : formatKey(s.key)],
    ['size', `${s.size} bytes (${humanSize(s.size)})`],
    ['perms', `${formatMode(s.mode)} (${permsString(s.mode)})`],
    ['owner', who(s.uid, s.gid)],
    ['creator', who(s.cuid, s.cgid)],
    ['status', statusString(s) || '-'],
    ['pages', pagesText(pageSize, s.nattch)],
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
