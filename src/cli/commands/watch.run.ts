// The work of `shmkit watch`, loaded only when that command runs.
import { pidAlive } from '../../core/attached.js';
import { InputError } from '../../core/errors.js';
import { parseCount, parseDuration, parsePositive, formatKey } from '../../core/parse.js';
import type { SegmentInfo } from '../../core/types.js';
import { type Change, type ListChange, type Sample, watchList, watchSegment } from '../../core/watch.js';
import { NAMES } from '../../core/names.js';
import { getChalk } from '../color.js';
import { toJson } from '../format/json.js';
import { shortValue, structJson, structLines } from '../format/struct.js';
import { isoTime, shortTime } from '../format/time.js';
import { LineSink, runControl } from '../lines.js';
import { targetFrom } from '../options.js';
import { notice } from '../output.js';
import { layoutFrom } from './read.run.js';
import { listTable } from './list.run.js';

export
interface Opts { id?: string; key?: string; ftok?: string; interval: string; layout?: string; offset: string; count?: string; json?: boolean }

const hex = (b: Buffer, max = 16) => b.subarray(0, max).toString('hex') + (b.length > max ? '…' : '');

/** A change on one line. */
function changeText(c: Change): string {
  if (c.kind === 'member') return `${c.path}: ${shortValue(c.old)} -> ${shortValue(c.new)}`;
  return `bytes ${c.offset}+${c.new.length}: ${hex(c.old)} -> ${hex(c.new)}`;
}

function changeJson(c: Change) {
  if (c.kind === 'member') return { member: c.path, old: structJson(c.old), new: structJson(c.new) };
  return { offset: c.offset, length: c.new.length, old: c.old.toString('hex'), new: c.new.toString('hex') };
}

/** The header of the redrawn view: the segment, its nattch, last pid and times. */
function header(s: SegmentInfo, ownPids: Set<number>, intervalMs: number): string {
  const lpid = s.lpid === 0 ? '-' : `${s.lpid}${ownPids.has(s.lpid) ? ' (this watch)' : pidAlive(s.lpid) ? '' : ' (gone)'}`;
  return `segment ${s.id}  key ${formatKey(s.key)}  ${s.size} bytes  nattch ${s.nattch}  lpid ${lpid}\n`
    + `changed ${shortTime(s.ctime)}  attached ${s.atime ? shortTime(s.atime) : 'never'}  detached ${s.dtime ? shortTime(s.dtime) : 'never'}`
    + `  (every ${intervalMs} ms; Ctrl-C stops)\n\n`;
}

/**
 * The body of the redrawn view: the members, or the first rows of a hex dump, what changed highlighted (reverse
 * video). Each line has a gutter that says so too, '*' for a line with a change, so that it shows without colour
 * (NO_COLOR, or a terminal without it).
 */
function body(sample: Sample, rows: number, mark: (s: string) => string, offset: number): string {
  const changed = new Set(sample.changes.map((c) => (c.kind === 'member' ? c.path : '')));
  if (sample.values) {
    return structLines(sample.values).slice(0, rows).map((l) => {
      const hot = [...changed].some((p) => p === l.path || p.startsWith(`${l.path}[`) || p.startsWith(`${l.path}.`));
      return hot ? `* ${mark(l.text)}` : `  ${l.text}`;
    }).join('\n') + '\n';
  }
  const hot = new Set<number>();
  for (const c of sample.changes) if (c.kind === 'bytes') for (let i = 0; i < c.new.length; i++) hot.add(c.offset + i);
  let out = '';
  for (let row = 0; row < rows && row * 16 < sample.bytes.length; row++) {
    const at = row * 16;
    let hexPart = '';
    let ascii = '';
    let rowHot = false;
    for (let i = 0; i < 16; i++) {
      const b = sample.bytes[at + i];
      if (b === undefined) {
        hexPart += '   ';
        continue;
      }
      const h = b.toString(16).padStart(2, '0');
      const ch = b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      const isHot = hot.has(offset + at + i);
      rowHot ||= isHot;
      hexPart += (isHot ? mark(h) : h) + (i % 2 ? ' ' : '');
      ascii += isHot ? mark(ch) : ch;
    }
    out += `${rowHot ? '*' : ' '} ${(offset + at).toString(16).padStart(8, '0')}: ${hexPart} ${ascii}\n`;
  }
  return out;
}

export async function run(opts: Opts, id?: string): Promise<void> {
  const intervalMs = parseDuration(opts.interval);
  if (intervalMs < 1) throw new InputError('--interval must be at least 1ms: a watch samples, it does not spin');
  const count = opts.count === undefined ? null : parsePositive(opts.count, 'count');
  const named = id !== undefined || opts.id !== undefined || opts.key !== undefined || opts.ftok !== undefined;
  const layout = opts.layout === undefined ? undefined : layoutFrom(opts.layout);
  if (!named && layout) throw new InputError('--layout goes with one segment: name it (ID, --id, --key or --ftok)');
  const offset = parseCount(opts.offset, 'offset');
  const control = runControl();
  const sink = new LineSink(false, control);
  const tty = process.stdout.isTTY === true && !opts.json;
  const chalk = await getChalk();
  let seen = 0;
  let drawn = false;
  let shown: Change[] = [];
  const out = async (text: string) => {
    await sink.add(text);
  };
  await sink.finish((async () => {
    if (!named) {
      for await (const l of watchList({ intervalMs, signal: control.signal })) {
        if (tty) {
          const marks = new Map(l.changes.filter((c) => c.kind !== 'gone').map((c) => [c.segment.id, c.kind === 'appeared' ? '+' : '~']));
          const gone = l.changes.filter((c) => c.kind === 'gone').map((c) => c.segment.id);
          const table = await listTable(l.segments);
          const lines = table.split('\n');
          const marked = lines.map((line, i) => (i === 0 || line === '' ? `  ${line}` : `${marks.get(l.segments[i - 1]?.id ?? -1) ?? ' '} ${line}`)).join('\n');
          await out(`\x1b[H\x1b[J${isoTime(Math.floor(l.time.getTime() / 1000))}  every ${intervalMs} ms; Ctrl-C stops\n\n${marked}${gone.length ? `gone: ${gone.join(', ')}\n` : ''}`);
        } else if (l.changes.length) {
          await out(opts.json ? toJson({ time: l.time.toISOString(), changes: l.changes.map(listChangeJson) }, 0) + '\n'
            : l.changes.map((c) => `${l.time.toISOString()} ${listChangeText(c)}\n`).join(''));
        }
        if (l.changes.length && count !== null && ++seen >= count) return;
      }
      return;
    }
    const target = targetFrom(opts, id);
    let last: Sample | null = null;
    for await (const s of watchSegment(target, { intervalMs, ...(layout ? { layout } : {}), offset, signal: control.signal })) {
      last = s;
      if (tty) {
        if (s.changes.length || s.infoChanged || !drawn) {
          drawn = true;
          // The last change stays marked until the next one: a redraw for the header's times alone keeps it.
          if (s.changes.length) shown = s.changes;
          const rows = Math.max(4, (process.stdout.rows ?? 24) - 4);
          await out(`\x1b[H\x1b[J${header(s.info, new Set([process.pid]), intervalMs)}${body({ ...s, changes: shown }, rows, (t) => chalk.inverse(t), offset)}`);
        }
      } else if (s.changes.length) {
        await out(opts.json ? toJson({ time: s.time.toISOString(), changes: s.changes.map(changeJson) }, 0) + '\n'
          : `${s.time.toISOString()} ${s.changes.map(changeText).join('; ')}\n`);
      }
      if (s.changes.length && count !== null && ++seen >= count) return;
    }
    notice('watch', `segment ${last?.info.id ?? ''} was removed`.replace('  ', ' '));
  })());
}

function listChangeText(c: ListChange): string {
  const s = c.segment;
  if (c.kind === 'appeared') return `+ segment ${s.id} key ${formatKey(s.key)} ${s.size} bytes owner ${NAMES.user(s.uid) ?? s.uid} nattch ${s.nattch}`;
  if (c.kind === 'gone') return `- segment ${s.id} key ${formatKey(s.key)}`;
  return `~ segment ${s.id} ${c.fields.map((f) => `${f.name} ${f.name === 'mode' ? (f.old as number).toString(8) : f.old} -> ${f.name === 'mode' ? (f.new as number).toString(8) : f.new}`).join(', ')}`;
}

function listChangeJson(c: ListChange) {
  const s = c.segment;
  return {
    change: c.kind, id: s.id, key: s.key, keyHex: formatKey(s.key), size: s.size, uid: s.uid, owner: NAMES.user(s.uid), nattch: s.nattch,
    ...(c.kind === 'changed' ? { fields: c.fields } : {}),
  };
}
