// The work of `shmkit list`, loaded only when that command runs.
import { pidAlive, scanAttachments } from '../../core/attached.js';
import { InputError } from '../../core/errors.js';
import { PROC_FIELD, listSegments, procSegmentsText, visitProcSysvipcShm } from '../../core/list.js';
import { groupName, userName, NAMES } from '../../core/names.js';
import { findOrphans } from '../../core/orphans.js';
import { formatKey } from '../../core/parse.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { getChalk } from '../color.js';
import { humanSize } from '../format/human.js';
import { printable } from '../format/printable.js';
import { ipcsList, type IpcsFormat } from '../format/ipcs.js';
import { segmentJsonFromProc, segmentJsonText, permsString, statusString } from '../format/segment.js';
import { renderTable } from '../format/table.js';
import { shortTime } from '../format/time.js';
import { atMostOne, oneOf, orphanOptions } from '../options.js';
import { BufferedOutput, print } from '../output.js';

export
interface Opts { json?: boolean; format?: string; time?: boolean; pid?: boolean; creator?: boolean; human?: boolean; bytes?: boolean; orphans?: boolean; olderThan?: string }


export async function run(opts: Opts): Promise<void> {
  const format = opts.json ? 'json' : oneOf(opts.format ?? 'table', ['table', 'json', 'ipcs'] as const, 'format');
  atMostOne(opts, ['time', 'pid', 'creator']);
  atMostOne(opts, ['human', 'bytes']);
  if (format === 'json' && (opts.time || opts.pid || opts.creator || opts.human)) {
    throw new InputError('--time, --pid, --creator and --human shape the table and ipcs formats; --json has every field');
  }
  const orphans = orphanOptions(opts);
  if (format === 'json' && !opts.orphans) {
    const text = procSegmentsText();
    if (text !== null) {
      jsonFromProc(text);
      return;
    }
  }
  let segments = listSegments();
  if (orphans) segments = findOrphans(segments, orphans);
  const view: IpcsFormat = opts.time ? 'time' : opts.pid ? 'pid' : opts.creator ? 'creator' : 'default';
  if (format === 'ipcs') {
    print(ipcsList(segments, view, opts.human ? 'human' : 'default', NAMES));
    return;
  }
  const attached = segments.some((s) => s.nattch > 0) ? scanAttachments() : new Map<number, AttachedProcess[]>();
  if (format === 'json') {
    writeJsonArray((element) => {
      for (const s of segments) element(segmentJsonText(s, NAMES, attached.get(s.id) ?? [], '  '));
    });
    return;
  }
  print(await table(segments, view, opts.human === true, attached));
}

/**
 * list --json straight from /proc/sysvipc/shm's text (issue 6): the kernel's own digits where they can stand as they
 * are, and the attached processes looked for at the first segment that has any. The same text as the general path
 * (segmentJsonText over listSegments()), which a test checks.
 */
function jsonFromProc(text: string): void {
  let attached: Map<number, AttachedProcess[]> | undefined;
  const none: AttachedProcess[] = [];
  const attachedTo = (id: number) => (attached ??= scanAttachments()).get(id) ?? none;
  writeJsonArray((element) => visitProcSysvipcShm(text,
    (f) => element(segmentJsonFromProc(f, NAMES, f[PROC_FIELD.nattch] === '0' ? none : attachedTo(Number(f[PROC_FIELD.id])))),
    (s) => element(segmentJsonText(s, NAMES, s.nattch > 0 ? attachedTo(s.id) : none, '  '))));
}

/**
 * A JSON array of pretty-printed elements, written an element at a time through one buffer: the text of thousands of
 * segments never has to live at once.
 */
function writeJsonArray(each: (element: (text: string) => void) => void): void {
  const out = new BufferedOutput();
  let n = 0;
  each((text) => {
    out.write(n++ === 0 ? '[\n  ' : ',\n  ');
    out.write(text);
  });
  out.write(n === 0 ? '[]\n' : '\n]\n');
  out.flush();
}

async function table(segments: SegmentInfo[], view: IpcsFormat, human: boolean, attached: Map<number, AttachedProcess[]>): Promise<string> {
  const chalk = await getChalk();
  const owner = (uid: number) => userName(uid) ?? String(uid);
  const pid = (p: number) => (p === 0 ? '-' : pidAlive(p) ? String(p) : chalk.dim(`${p}†`));
  const size = (s: SegmentInfo) => (human ? humanSize(s.size) : s.size.toString());
  const status = (s: SegmentInfo) => {
    const t = statusString(s);
    return t ? chalk.yellow(t) : '';
  };
  const time = (t: number) => (t ? shortTime(t) : chalk.dim('never'));
  const now = new Date();
  let head: string[];
  let rows: string[][];
  let align: Array<'left' | 'right'>;
  switch (view) {
    case 'time':
      head = ['ID', 'OWNER', 'ATTACHED', 'DETACHED', 'CHANGED'];
      align = ['right', 'left', 'left', 'left', 'left'];
      rows = segments.map((s) => [String(s.id), owner(s.uid), time(s.atime), time(s.dtime), shortTime(s.ctime, now)]);
      break;
    case 'pid':
      head = ['ID', 'OWNER', 'CPID', 'LPID', 'ATTACHED BY'];
      align = ['right', 'left', 'right', 'right', 'left'];
      rows = segments.map((s) => [String(s.id), owner(s.uid), pid(s.cpid), pid(s.lpid),
        (attached.get(s.id) ?? []).map((p) => `${p.pid} ${printable(p.command)}`).join(', ')]);
      break;
    case 'creator':
      head = ['ID', 'PERMS', 'CUID', 'CGID', 'UID', 'GID'];
      align = ['right', 'left', 'left', 'left', 'left', 'left'];
      rows = segments.map((s) => [String(s.id), permsString(s.mode), owner(s.cuid), groupName(s.cgid) ?? String(s.cgid), owner(s.uid), groupName(s.gid) ?? String(s.gid)]);
      break;
    default:
      head = ['KEY', 'ID', 'OWNER', 'PERMS', 'SIZE', 'NATTCH', 'STATUS', 'CPID', 'LPID', 'CHANGED'];
      align = ['left', 'right', 'left', 'left', 'right', 'right', 'left', 'right', 'right', 'left'];
      rows = segments.map((s) => [
        s.key === 0 ? chalk.dim(formatKey(s.key)) : formatKey(s.key), String(s.id), owner(s.uid), permsString(s.mode), size(s),
        s.nattch ? chalk.green(String(s.nattch)) : '0', status(s), pid(s.cpid), pid(s.lpid), shortTime(s.ctime, now),
      ]);
  }
  // No segments: the header alone, as ipcs prints its header over no rows.
  return renderTable(head, rows, chalk, align);
}
