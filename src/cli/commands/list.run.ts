// The work of `shmkit list`, loaded only when that command runs.
import { scanAttachments } from '../../core/attached.js';
import { type QueueInfo, type SemaphoreSetInfo, listQueues, listSemaphoreSets, semaphoreSetsByKey } from '../../core/kinds.js';
import { eachSegment, listSegments } from '../../core/list.js';
import { NAMES } from '../../core/names.js';
import { findOrphans } from '../../core/orphans.js';
import type { AttachedProcess, SegmentInfo } from '../../core/types.js';
import { getChalk } from '../color.js';
import { GoneMarks, fieldNamed, segmentJsonText } from '../format/fields.js';
import { ipcsAllList, ipcsSegmentRows, type IpcsFormat } from '../format/ipcs.js';
import { type KindField, QUEUE_FIELDS, SEM_SET_FIELDS, kindColumns, kindJsonText } from '../format/kind-fields.js';
import { findQueueOrphans, findSetOrphans } from '../../core/kind-orphans.js';
import { renderTable, writeTable } from '../format/table.js';
import { orphanOptions } from '../options.js';
import { choice } from '../spec.js';
import { goneLegend, goneMark } from '../locale.js';
import { BufferedOutput, print } from '../output.js';
import { toJson } from '../format/json.js';
import { checkVisits, eachNamespace, namespaceJson, namespaceLine } from '../namespaces.js';

export
interface Opts {
  json?: boolean; format?: string; time?: boolean; pid?: boolean; creator?: boolean; human?: boolean; bytes?: boolean; orphans?: boolean; olderThan?: string;
  shm?: boolean; sem?: boolean; queues?: boolean; allKinds?: boolean; allNamespaces?: boolean;
}

/** The columns of each table view, as fields of the field table: ipcs -m's views, with shmkit's own columns. */
const VIEWS: Record<IpcsFormat, string[]> = {
  default: ['key', 'id', 'owner', 'perms', 'size', 'nattch', 'status', 'cpid', 'lpid', 'ctime'],
  time: ['id', 'owner', 'atime', 'dtime', 'ctime'],
  pid: ['id', 'owner', 'cpid', 'lpid', 'attached'],
  creator: ['id', 'perms', 'cuid', 'cgid', 'uid', 'gid'],
};

/** The table views of semaphore sets and queues, as ipcs -s and -q have them, with shmkit's own columns. */
const SEM_VIEWS: Record<IpcsFormat, string[]> = {
  default: ['key', 'id', 'owner', 'perms', 'nsems', 'otime', 'ctime'],
  time: ['id', 'owner', 'otime', 'ctime'],
  pid: ['id', 'owner', 'nsems'],
  creator: ['id', 'perms', 'cuid', 'cgid', 'uid', 'gid'],
};
const QUEUE_VIEWS: Record<IpcsFormat, string[]> = {
  default: ['key', 'id', 'owner', 'perms', 'qnum', 'cbytes', 'lspid', 'lrpid', 'ctime'],
  time: ['id', 'owner', 'stime', 'rtime', 'ctime'],
  pid: ['id', 'owner', 'lspid', 'lrpid'],
  creator: ['id', 'perms', 'cuid', 'cgid', 'uid', 'gid'],
};

export async function run(opts: Opts): Promise<void> {
  // The option table (list.ts) has refused what does not go together.
  const format = opts.json ? 'json' : choice<'table' | 'json' | 'ipcs'>(opts.format, 'table');
  const orphans = orphanOptions(opts);
  const all = opts.allKinds === true;
  const kinds = { shm: all || opts.shm === true || (!opts.sem && !opts.queues), sem: all || opts.sem === true, msg: all || opts.queues === true };
  if (opts.allNamespaces) {
    await everyNamespace(kinds, format, opts, orphans);
    return;
  }
  if (!kinds.shm || kinds.sem || kinds.msg) {
    await several(kinds, format, opts, orphans);
    return;
  }
  if (format === 'json') {
    json(orphans === null ? null : (all) => findOrphans(all, orphans));
    return;
  }
  const view = viewOf(opts);
  if (format === 'ipcs') {
    ipcs(view, opts.human ? 'human' : 'default', orphans === null ? null : (all) => findOrphans(all, orphans));
    return;
  }
  let segments = listSegments();
  if (orphans) segments = findOrphans(segments, orphans);
  const attached = segments.some((s) => s.nattch > 0) ? scanAttachments() : new Map<number, AttachedProcess[]>();
  const out = new BufferedOutput();
  await table(segments, view, opts.human === true, attached, (text) => out.write(text));
  out.flush();
}

export type Kinds = { shm: boolean; sem: boolean; msg: boolean };

/**
 * What a listing of several kinds shows, read at once and kept: everything that asks the kernel or /proc about
 * this IPC namespace (the records, who has each segment attached, the set beside each key) is read here, so that
 * list --all-namespaces can read it inside a namespace and word it outside.
 */
export interface Gathered {
  segments: SegmentInfo[] | undefined;
  sets: SemaphoreSetInfo[] | undefined;
  queues: QueueInfo[] | undefined;
  attached: Map<number, AttachedProcess[]>;
  /** The semaphore set under each key, of every set (not only the orphans): a segment names the one beside it. */
  setOf: (key: number) => number | null;
}

export function gather(kinds: Kinds, orphans: ReturnType<typeof orphanOptions>): Gathered {
  let segments = kinds.shm ? listSegments() : undefined;
  const allSets = kinds.sem ? listSemaphoreSets() : undefined;
  let sets = allSets;
  let queues = kinds.msg ? listQueues() : undefined;
  if (orphans) {
    segments &&= findOrphans(segments, orphans);
    sets &&= findSetOrphans(sets, orphans);
    queues &&= findQueueOrphans(queues, orphans);
  }
  const attached = segments?.some((s) => s.nattch > 0) ? scanAttachments() : new Map<number, AttachedProcess[]>();
  // The set beside each keyed segment, read now, not at the first key asked about (setsByKey reads none for no key).
  const byKey = setsByKey(allSets);
  const known = new Map((segments ?? []).filter((s) => s.key !== 0).map((s) => [s.key, byKey(s.key)]));
  return { segments, sets, queues, attached, setOf: (key) => known.get(key) ?? null };
}

/**
 * list --all-namespaces: each namespace's records gathered inside it, then worded here: under a line naming it
 * (table, ipcs), or as {namespace, segments, ...} objects of one array (json).
 */
async function everyNamespace(kinds: Kinds, format: 'table' | 'json' | 'ipcs', opts: Opts, orphans: ReturnType<typeof orphanOptions>): Promise<void> {
  const visits = eachNamespace(() => gather(kinds, orphans));
  if (format === 'json') {
    const items = visits.visited.map((v) => {
      const parts = v.result ? jsonParts(v.result, '    ') : [];
      return `  {\n    "namespace": ${toJson(namespaceJson(v), 2, '    ')}${parts.map(([k, t]) => `,\n    "${k}": ${t}`).join('')}\n  }`;
    });
    print(items.length ? `[\n${items.join(',\n')}\n]\n` : '[]\n');
  } else if (format === 'ipcs') {
    const out = new BufferedOutput(1, 'latin1');
    for (const v of visits.visited) {
      out.write(namespaceLine(v));
      if (v.result) out.write(ipcsText(v.result, opts).toString('latin1'));
    }
    out.flush();
  } else {
    const chalk = await getChalk();
    const titled = [kinds.shm, kinds.sem, kinds.msg].filter(Boolean).length > 1;
    let first = true;
    for (const v of visits.visited) {
      print(`${first ? '' : '\n'}${chalk.bold(namespaceLine(v).trimEnd())}\n`);
      first = false;
      if (v.result) print(await tablesText(v.result, opts, titled));
    }
  }
  checkVisits('list', visits);
}

/** A listing that has semaphore sets or queues in it: each kind's records, read once, in the format asked. */
async function several(kinds: Kinds, format: 'table' | 'json' | 'ipcs', opts: Opts, orphans: ReturnType<typeof orphanOptions>): Promise<void> {
  const g = gather(kinds, orphans);
  if (format === 'ipcs') {
    print(ipcsText(g, opts));
    return;
  }
  const only = [g.segments, g.sets, g.queues].filter((k) => k !== undefined).length === 1;
  if (format === 'json') {
    const parts = jsonParts(g, only ? '' : '  ');
    print(only ? `${parts[0]![1]}\n` : `{\n${parts.map(([k, v]) => `  "${k}": ${v}`).join(',\n')}\n}\n`);
    return;
  }
  print(await tablesText(g, opts, !only));
}

const viewOf = (opts: Opts): IpcsFormat => (opts.time ? 'time' : opts.pid ? 'pid' : opts.creator ? 'creator' : 'default');

/** The gathered records as ipcs prints them: one run of ipcs with the kinds' options. */
export function ipcsText(g: Gathered, opts: Opts): Buffer {
  return ipcsAllList({ queues: g.queues, segments: g.segments, sets: g.sets }, viewOf(opts), opts.human ? 'human' : 'default', NAMES);
}

/** Each kind's JSON array, by its name, indented by pad: [['queues', '[...]'], ...]. */
export function jsonParts(g: Gathered, pad: string): Array<[string, string]> {
  const none: AttachedProcess[] = [];
  const array = (texts: string[]) => (texts.length === 0 ? '[]' : `[\n${texts.map((t) => `${pad}  ${t}`).join(',\n')}\n${pad}]`);
  const parts: Array<[string, string]> = [];
  if (g.queues) parts.push(['queues', array(g.queues.map((q) => kindJsonText(QUEUE_FIELDS, q, NAMES, pad + '  ')))]);
  if (g.segments) parts.push(['segments', array(g.segments.map((s) => segmentJsonText(s, NAMES, s.nattch ? g.attached.get(s.id) ?? none : none, pad + '  ', { semaphoreSet: g.setOf(s.key) })))]);
  if (g.sets) parts.push(['semaphoreSets', array(g.sets.map((s) => kindJsonText(SEM_SET_FIELDS, { ...s, semaphores: null }, NAMES, pad + '  ')))]);
  return parts;
}

/** The gathered records as tables, each under its title where titled. */
export async function tablesText(g: Gathered, opts: Opts, titled: boolean): Promise<string> {
  const view = viewOf(opts);
  const tables: string[] = [];
  if (g.queues) tables.push((titled ? 'Message queues\n' : '') + await kindTable(QUEUE_FIELDS, QUEUE_VIEWS[view], g.queues, opts.human === true));
  if (g.segments) tables.push((titled ? 'Shared memory segments\n' : '') + await table(g.segments, view, opts.human === true, g.attached, undefined, g.setOf));
  if (g.sets) tables.push((titled ? 'Semaphore sets\n' : '') + await kindTable(SEM_SET_FIELDS, SEM_VIEWS[view], g.sets, opts.human === true));
  return tables.join('\n');
}

async function kindTable<R>(fields: readonly KindField<R>[], names: string[], records: R[], human: boolean): Promise<string> {
  const chalk = await getChalk();
  const gone = new GoneMarks(goneMark());
  const context = { chalk, names: NAMES, human, now: new Date(), gone };
  const columns = kindColumns(fields, names);
  const text = await renderTable(columns.map((c) => c.head), records.map((r) => columns.map((c) => c.cell(r, context))), chalk, columns.map((c) => c.align));
  return gone.shown && process.stdout.isTTY ? `${text}${chalk.dim(goneLegend(gone.mark))}\n` : text;
}

/**
 * list --json: each segment written as it is read (eachSegment: the kernel's own digits stand as they are), and the
 * attached processes looked for at the first segment that has any. With orphans, the records are filtered first.
 */
function json(filter: ((all: SegmentInfo[]) => SegmentInfo[]) | null): void {
  let attached: Map<number, AttachedProcess[]> | undefined;
  const none: AttachedProcess[] = [];
  const attachedTo = (s: SegmentInfo) => (s.nattch === 0 ? none : (attached ??= scanAttachments()).get(s.id) ?? none);
  const setOf = setsByKey();
  writeJsonArray((element) => {
    const write = (s: SegmentInfo) => element(segmentJsonText(s, NAMES, attachedTo(s), '  ', { semaphoreSet: setOf(s.key) }));
    if (filter === null) eachSegment(write);
    else for (const s of filter(listSegments())) write(s);
  });
}

/** list --format ipcs of segments: each row written as it is read, as json() does, framed as ipcs frames a section. */
function ipcs(view: IpcsFormat, unit: 'default' | 'human', filter: ((all: SegmentInfo[]) => SegmentInfo[]) | null): void {
  const out = new BufferedOutput(1, 'latin1');
  const { head, row } = ipcsSegmentRows(view, unit, NAMES);
  out.write(`\n${head}`);
  if (filter === null) eachSegment((s) => out.write(row(s)));
  else for (const s of filter(listSegments())) out.write(row(s));
  out.write('\n');
  out.flush();
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

/**
 * The semaphore set under a key (null for none). The sets are read once, at the first key asked about (a listing
 * with no keyed segment reads none), unless the caller has them already.
 */
function setsByKey(known?: SemaphoreSetInfo[]): (key: number) => number | null {
  let sets = known && new Map(known.filter((s) => s.key !== 0).map((s) => [s.key, s.id]));
  return (key) => (key === 0 ? null : (sets ??= semaphoreSetsByKey()).get(key) ?? null);
}

/** The default table of segments, as list prints it (for watch's redrawn list). */
export async function listTable(segments: SegmentInfo[]): Promise<string> {
  const attached = segments.some((s) => s.nattch > 0) ? scanAttachments() : new Map<number, AttachedProcess[]>();
  return table(segments, 'default', false, attached);
}

/** The table of segments, written to write if given, else returned. */
async function table(segments: SegmentInfo[], view: IpcsFormat, human: boolean, attached: Map<number, AttachedProcess[]>, write?: (text: string) => void,
  setOf = setsByKey()): Promise<string> {
  const chalk = await getChalk();
  const none: AttachedProcess[] = [];
  const gone = new GoneMarks(goneMark());
  const context = { chalk, names: NAMES, human, now: new Date(), attached: (id: number) => attached.get(id) ?? none, semaphoreSet: (key: number) => setOf(key) ?? undefined, gone };
  const columns = VIEWS[view].map((name) => fieldNamed(name).column);
  // No segments: the header alone, as ipcs prints its header over no rows.
  const parts: string[] = [];
  const to = write ?? ((text: string) => parts.push(text));
  await writeTable(to, columns.map((c) => c.head), segments, (s) => columns.map((c) => c.cell(s, context)), chalk, columns.map((c) => c.align));
  // The mark is told under the table for a reader at a terminal; a pipe gets the rows alone.
  if (gone.shown && process.stdout.isTTY) to(`${chalk.dim(goneLegend(gone.mark))}\n`);
  return parts.join('');
}
