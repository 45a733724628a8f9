// Watching a segment change: a sample every interval (attach read-only, copy the bytes, detach: it is never held
// between samples), compared with the one before, as the changed byte ranges or, with a layout, the changed members.
// Watching the list: segments appearing, going, and changing (nattch, key, mode, owner, dest, locked). Both are
// async iterators that end when the segment is removed, and stop when the signal is aborted.
import { Attachment } from './attachment.js';
import type { StructType } from './cstruct.js';
import { type Value, decodeBytes } from './decode.js';
import { type ShmkitError, isGone } from './errors.js';
import { readSegment, resolveId } from './control.js';
import { listSegments } from './list.js';
import { pause, throwIfInterrupted } from './demo/protocol.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export interface WatchOptions {
  /** Between samples, in ms (1000 by default). */
  intervalMs?: number;
  /** Decode the bytes as this struct, from offset: the changes are then its members. */
  layout?: StructType;
  offset?: number;
  signal?: AbortSignal;
}

/** A member that changed (path as `pts[1].y`), or a byte range that did (offset and the bytes before and after). */
export type Change =
  | { kind: 'member'; path: string; old: Value; new: Value }
  | { kind: 'bytes'; offset: number; old: Buffer; new: Buffer };

export interface Sample {
  time: Date;
  /** The segment's record as IPC_STAT gave it just before the sample (so its lpid and times may be a sample's own). */
  info: SegmentInfo;
  /** Empty for the first sample. */
  changes: Change[];
  /** Whether nattch, lpid or the times moved since the sample before. */
  infoChanged: boolean;
  /** The bytes sampled. Without a layout, valid until the next sample is asked for: watch keeps one copy, updated. */
  bytes: Buffer;
  values: { [member: string]: Value } | null;
}

/** Byte ranges that differ, where a gap of fewer than 8 equal bytes does not split a range. */
export function byteChanges(before: Buffer, after: Buffer, base = 0): Change[] {
  const out: Change[] = [];
  const n = Math.min(before.length, after.length);
  let i = 0;
  while (i < n) {
    if (before[i] === after[i]) {
      i++;
      continue;
    }
    let end = i + 1;
    for (let gap = 0; end < n && gap < 8; end++) {
      if (before[end] === after[end]) gap++;
      else gap = 0;
    }
    while (end > i && before[end - 1] === after[end - 1]) end--;
    out.push({ kind: 'bytes', offset: base + i, old: Buffer.from(before.subarray(i, end)), new: Buffer.from(after.subarray(i, end)) });
    i = end;
  }
  return out;
}

/** The scalar members of decoded values by path, for comparing. */
function leaves(v: Value, path: string, out: Map<string, Value>): Map<string, Value> {
  if (typeof v !== 'object' || 'text' in v || 'address' in v) {
    out.set(path, v);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) leaves(v[i] as Value, `${path}[${i}]`, out);
  } else {
    for (const [k, e] of Object.entries(v)) leaves(e, path ? `${path}.${k}` : k, out);
  }
  return out;
}

const exact = (_k: string, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x);
const same = (a: Value, b: Value) => JSON.stringify(a, exact) === JSON.stringify(b, exact);

function memberChanges(before: { [m: string]: Value }, after: { [m: string]: Value }): Change[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const out: Change[] = [];
  for (const [path, v] of b) {
    const old = a.get(path) as Value;
    if (!same(old, v)) out.push({ kind: 'member', path, old, new: v });
  }
  return out;
}

/**
 * The segment's record (IPC_STAT: a sample needs no rss, which would cost a read of all of /proc/sysvipc/shm each
 * time), or null once it is removed (gone, or marked dest: it goes at its last detach).
 */
function recordOf(id: number, key: number): SegmentInfo | null {
  try {
    const info = readSegment(id);
    return info.dest || info.key !== key ? null : info;
  } catch (e) {
    if (isGone((e as ShmkitError).sys) || (e as ShmkitError).fact?.kind === 'no-id') return null;
    throw e;
  }
}

/**
 * Samples of one segment, every interval, until it is removed (the iterator ends) or the signal is aborted (it throws
 * InterruptedError). The first sample has no changes; each one after tells what changed since the one before.
 */
export async function* watchSegment(target: SegmentTarget, opts: WatchOptions = {}): AsyncGenerator<Sample> {
  const id = resolveId(target);
  const first = readSegment(id);
  const interval = opts.intervalMs ?? 1000;
  const offset = opts.offset ?? 0;
  let before: Sample | null = null;
  // Without a layout, the bytes of the sample before, updated in place: one copy of the segment, not two (and no
  // fresh pages each sample). Each piece of the segment is read into scratch and compared with it there.
  let kept: Buffer | null = null;
  const scratch = opts.layout ? null : Buffer.allocUnsafe(PIECE);
  for (;;) {
    throwIfInterrupted(opts.signal);
    const info = recordOf(id, first.key);
    if (info === null) return;
    let bytes: Buffer;
    let changes: Change[] = [];
    try {
      const a = Attachment.attach({ id }, { readonly: true });
      try {
        if (opts.layout) bytes = a.read(offset, opts.layout.size);
        else if (kept === null) bytes = kept = a.read(offset, a.size - offset);
        else {
          bytes = kept;
          changes = updateKept(a, offset, kept, scratch as Buffer);
        }
      } finally {
        a.detach();
      }
    } catch (e) {
      if (recordOf(id, first.key) === null) return; // removed while we attached
      throw e;
    }
    const values = opts.layout ? decodeBytes(bytes, opts.layout) : null;
    const last: Sample | null = before;
    if (last !== null && values && last.values) changes = memberChanges(last.values, values);
    const infoChanged: boolean = last !== null && (['nattch', 'lpid', 'atime', 'dtime', 'ctime'] as const).some((f) => last.info[f] !== info[f]);
    const sample: Sample = { time: new Date(), info, changes, infoChanged, bytes, values };
    before = sample;
    yield sample;
    await pause(interval, opts.signal);
  }
}

/** How much of a segment is compared at a time. */
const PIECE = 1 << 20;

/**
 * The byte ranges that changed since kept, found a piece at a time, with kept brought up to date: pieces that are
 * equal (memcmp) cost no copy. Ranges that meet across two pieces are joined as byteChanges joins them (a gap of
 * fewer than 8 equal bytes), so the changes are those of byteChanges over the whole.
 */
function updateKept(a: Attachment, offset: number, kept: Buffer, scratch: Buffer): Change[] {
  const out: Change[] = [];
  for (let at = 0; at < kept.length; at += PIECE) {
    const len = Math.min(PIECE, kept.length - at);
    const now = a.readInto(offset + at, scratch.subarray(0, len)) as Buffer;
    const old = kept.subarray(at, at + len);
    if (old.equals(now)) continue;
    for (const c of byteChanges(old, now, offset + at) as Array<Extract<Change, { kind: 'bytes' }>>) {
      const prev = out[out.length - 1] as Extract<Change, { kind: 'bytes' }> | undefined;
      const gap = prev ? c.offset - (prev.offset + prev.old.length) : Infinity;
      if (prev && gap < 8) {
        // Equal bytes in old and new alike; those of an earlier piece are in kept already.
        const between = kept.subarray(c.offset - gap - offset, c.offset - offset);
        out[out.length - 1] = { kind: 'bytes', offset: prev.offset, old: Buffer.concat([prev.old, between, c.old]), new: Buffer.concat([prev.new, between, c.new]) };
      } else out.push(c);
    }
    now.copy(kept, at);
  }
  return out;
}

/** A change in the list of segments. */
export type ListChange =
  | { kind: 'appeared'; segment: SegmentInfo }
  | { kind: 'gone'; segment: SegmentInfo }
  | { kind: 'changed'; segment: SegmentInfo; fields: Array<{ name: string; old: number | boolean; new: number | boolean }> };

const WATCHED = ['key', 'nattch', 'mode', 'uid', 'gid', 'dest', 'locked'] as const;

/** The list of segments, every interval, with what changed since the listing before; until the signal is aborted. */
export async function* watchList(opts: WatchOptions = {}): AsyncGenerator<{ time: Date; segments: SegmentInfo[]; changes: ListChange[] }> {
  const interval = opts.intervalMs ?? 1000;
  let before: Map<number, SegmentInfo> | null = null;
  for (;;) {
    throwIfInterrupted(opts.signal);
    const segments = listSegments();
    const now = new Map(segments.map((s) => [s.id, s]));
    const changes: ListChange[] = [];
    if (before !== null) {
      for (const s of segments) {
        const old = before.get(s.id);
        if (!old) {
          changes.push({ kind: 'appeared', segment: s });
          continue;
        }
        const fields = WATCHED.filter((f) => old[f] !== s[f]).map((f) => ({ name: f, old: old[f], new: s[f] }));
        if (fields.length) changes.push({ kind: 'changed', segment: s, fields });
      }
      for (const [id, s] of before) if (!now.has(id)) changes.push({ kind: 'gone', segment: s });
    }
    before = now;
    yield { time: new Date(), segments, changes };
    await pause(interval, opts.signal);
  }
}
