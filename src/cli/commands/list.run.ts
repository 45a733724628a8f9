// The work of `shmkit list`, loaded only when that command runs.
import { scanAttachments } from '../../core/attached.js';
import { eachSegment, listSegments } from '../../core/list.js';
import { NAMES } from '../../core/names.js';
import { findOrphans } from '../../core/orphans.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { getChalk } from '../color.js';
import { fieldNamed, segmentJsonText } from '../format/fields.js';
import { ipcsList, type IpcsFormat } from '../format/ipcs.js';
import { renderTable } from '../format/table.js';
import { orphanOptions } from '../options.js';
import { choice } from '../spec.js';
import { goneLegend, goneMark } from '../locale.js';
import { BufferedOutput, print } from '../output.js';

export
interface Opts { json?: boolean; format?: string; time?: boolean; pid?: boolean; creator?: boolean; human?: boolean; bytes?: boolean; orphans?: boolean; olderThan?: string }

/** The columns of each table view, as fields of the field table: ipcs -m's views, with shmkit's own columns. */
const VIEWS: Record<IpcsFormat, string[]> = {
  default: ['key', 'id', 'owner', 'perms', 'size', 'nattch', 'status', 'cpid', 'lpid', 'ctime'],
  time: ['id', 'owner', 'atime', 'dtime', 'ctime'],
  pid: ['id', 'owner', 'cpid', 'lpid', 'attached'],
  creator: ['id', 'perms', 'cuid', 'cgid', 'uid', 'gid'],
};

export async function run(opts: Opts): Promise<void> {
  // The option table (list.ts) has refused what does not go together.
  const format = opts.json ? 'json' : choice<'table' | 'json' | 'ipcs'>(opts.format, 'table');
  const orphans = orphanOptions(opts);
  if (format === 'json') {
    json(orphans === null ? null : (all) => findOrphans(all, orphans));
    return;
  }
  let segments = listSegments();
  if (orphans) segments = findOrphans(segments, orphans);
  const view: IpcsFormat = opts.time ? 'time' : opts.pid ? 'pid' : opts.creator ? 'creator' : 'default';
  if (format === 'ipcs') {
    print(ipcsList(segments, view, opts.human ? 'human' : 'default', NAMES));
    return;
  }
  const attached = segments.some((s) => s.nattch > 0) ? scanAttachments() : new Map<number, AttachedProcess[]>();
  print(await table(segments, view, opts.human === true, attached));
}

/**
 * list --json: each segment written as it is read (eachSegment: the kernel's own digits stand as they are), and the
 * attached processes looked for at the first segment that has any. With orphans, the records are filtered first.
 */
function json(filter: ((all: SegmentInfo[]) => SegmentInfo[]) | null): void {
  let attached: Map<number, AttachedProcess[]> | undefined;
  const none: AttachedProcess[] = [];
  const attachedTo = (s: SegmentInfo) => (s.nattch === 0 ? none : (attached ??= scanAttachments()).get(s.id) ?? none);
  writeJsonArray((element) => {
    const write = (s: SegmentInfo) => element(segmentJsonText(s, NAMES, attachedTo(s), '  '));
    if (filter === null) eachSegment(write);
    else for (const s of filter(listSegments())) write(s);
  });
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
  const none: AttachedProcess[] = [];
  const gone = { mark: goneMark(), shown: false };
  const context = { chalk, names: NAMES, human, now: new Date(), attached: (id: number) => attached.get(id) ?? none, gone };
  const columns = VIEWS[view].map((name) => fieldNamed(name).column);
  // No segments: the header alone, as ipcs prints its header over no rows.
  const text = await renderTable(columns.map((c) => c.head), segments.map((s) => columns.map((c) => c.cell(s, context))), chalk, columns.map((c) => c.align));
  // The mark is told under the table for a reader at a terminal; a pipe gets the rows alone.
  return gone.shown && process.stdout.isTTY ? `${text}${chalk.dim(goneLegend(gone.mark))}\n` : text;
}
