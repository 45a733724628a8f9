// Dump and restore: a segment's metadata and bytes in one file, and a segment made again from it.
//
// The format, version 1, is one stream that can be written and read without seeking (a pipe, ssh, gzip):
//   SHMKIT-DUMP 1\n
//   {"key": ..., "size": ..., "mode": ..., ...}\n         the metadata, one line of JSON
//   <size bytes>                                          the contents, as they are
//   \nSHMKIT-END {"bytes": ..., "sha256": ..., "changed": ...}\n
// The trailer comes after the bytes because only then is their digest known, and whether the segment changed while it
// was read (its ctime, nattch or lpid moved, or a sample of its pages differs from before). A restore checks the
// magic, the header, the length, the trailer and the digest, and changes nothing unless all of them hold.
import { createHash } from 'node:crypto';
import { closeSync } from 'node:fs';
import { Reader, inputFd } from './dump-reader.js';
import { Attachment } from './attachment.js';
import { attachedTo, isHugePageSize, pageSizeOf } from './attached.js';
import { resolveId } from './control.js';
import { createSegment, undoCreate } from './create.js';
import { throwIfInterrupted, yieldToEventLoop } from './demo/protocol.js';
import { InputError, OperationError, SysError } from './errors.js';
import { getSegment } from './list.js';
import { formatKey } from './parse.js';
import type { SegmentInfo, SegmentTarget } from './types.js';

export const DUMP_MAGIC = 'SHMKIT-DUMP 1\n';
const END = '\nSHMKIT-END ';
const CHUNK = 1 << 20;

/** The metadata line of a dump: the segment's record as it was, its size as digits (exact in any JSON reader). */
export type DumpHeader = Pick<SegmentInfo, 'key' | 'mode' | 'uid' | 'gid' | 'cuid' | 'cgid' | 'cpid' | 'lpid' | 'nattch' | 'atime' | 'dtime' | 'ctime'> & {
  keyHex: string;
  size: string;
  /** Where an attached process showed it (else null): restore asks for huge pages again when true. */
  hugePages: boolean | null;
  pageSize: number | null;
  dumped: string;
};

export interface DumpTrailer {
  bytes: string;
  sha256: string;
  /** The segment changed while it was read: the bytes may be of no single moment. */
  changed: boolean;
}

/** A sample of the segment: up to 64 pages spread over it, hashed; with the record fields that a change moves. */
function fingerprint(a: Attachment, info: SegmentInfo): string {
  const h = createHash('sha256');
  const pages = Math.min(64, Math.ceil(a.size / 4096));
  for (let i = 0; i < pages; i++) {
    const at = Math.floor((i * a.size) / pages / 4096) * 4096;
    h.update(a.read(at, Math.min(4096, a.size - at)));
  }
  return `${info.ctime} ${info.nattch} ${info.lpid} ${info.atime} ${info.dtime} ${h.digest('hex')}`;
}

/**
 * A segment's dump, as the pieces of the stream in order (the header, the bytes a MiB at a time, the trailer), for the
 * caller to write wherever it likes; each piece of bytes is valid until the next is asked for (one buffer is reused). The segment is attached read-only while the pieces are taken, and detached at the
 * end, or when the caller stops early (return()).
 */
export function* dumpSegment(target: SegmentTarget): Generator<Buffer, DumpTrailer> {
  const id = resolveId(target);
  const info = getSegment({ id });
  if (info.size > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`segment ${id} is too large to dump`);
  const pageSize = pageSizeOf(info.nattch > 0 ? attachedTo(id) : []);
  const a = Attachment.attach({ id }, { readonly: true });
  try {
    const before = fingerprint(a, getSegment({ id })); // the record with our own attach in it, as the one after will have
    const header: DumpHeader = {
      key: info.key, keyHex: formatKey(info.key), size: info.size.toString(), mode: info.mode, uid: info.uid, gid: info.gid, cuid: info.cuid,
      cgid: info.cgid, cpid: info.cpid, lpid: info.lpid, nattch: info.nattch, atime: info.atime, dtime: info.dtime, ctime: info.ctime,
      hugePages: isHugePageSize(pageSize), pageSize, dumped: new Date().toISOString(),
    };
    yield Buffer.from(DUMP_MAGIC + JSON.stringify(header) + '\n');
    const hash = createHash('sha256');
    // One buffer, reused: the caller writes each piece out before it asks for the next (fresh buffers of a MiB cost
    // page faults that doubled a dump's time here).
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, a.size));
    for (let at = 0; at < a.size; at += CHUNK) {
      const bytes = a.readInto(at, buf.subarray(0, Math.min(CHUNK, a.size - at))) as Buffer;
      hash.update(bytes);
      yield bytes;
    }
    const after = fingerprint(a, getSegment({ id }));
    const trailer: DumpTrailer = { bytes: String(a.size), sha256: hash.digest('hex'), changed: after !== before };
    yield Buffer.from(END + JSON.stringify(trailer) + '\n');
    return trailer;
  } finally {
    a.detach();
  }
}

const notADump = (why: string) => new InputError(`not a dump of this format, or a damaged one: ${why}`, 'nothing was changed');

function parseHeader(line: string | null): DumpHeader {
  if (line === null) throw notADump('no header line');
  let h: DumpHeader;
  try {
    h = JSON.parse(line) as DumpHeader;
  } catch {
    throw notADump('its header is not JSON');
  }
  if (typeof h !== 'object' || h === null || !/^[1-9]\d*$/.test(String(h.size)) || !Number.isInteger(h.key) || !Number.isInteger(h.mode) || h.mode < 0 || h.mode > 0o777) {
    throw notADump('its header lacks key, size or mode');
  }
  return h;
}

export interface RestoreOptions {
  /** Another key than the dump's, or 'private'. */
  key?: number | 'private';
  /** Write over a segment that has the key already (one of the same size only). */
  force?: boolean;
  /** Stops the restore between two MiB (InterruptedError), leaving nothing made or changed. */
  signal?: AbortSignal;
}

export interface RestoreResult {
  id: number;
  key: number;
  size: bigint;
  /** False where force wrote over an existing segment. */
  created: boolean;
  header: DumpHeader;
  trailer: DumpTrailer;
}

/**
 * Makes a segment again from a dump read from fd: the same key (or opts.key), size and mode, and the same bytes,
 * checked against the trailer's digest. A key that has a segment is refused unless force, and then only one of the
 * same size, whose bytes are replaced only once the whole dump has been read and checked (into a private segment
 * first). Whatever fails, nothing is left changed: a segment this call made is removed again.
 */
export async function restoreSegment(fd: number, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const input = inputFd(fd);
  try {
    return await restoreFrom(new Reader(input.fd, opts.signal), opts);
  } finally {
    if (input.own) closeSync(input.fd);
  }
}

async function restoreFrom(r: Reader, opts: RestoreOptions): Promise<RestoreResult> {
  const magic = (await r.take(DUMP_MAGIC.length)).toString('latin1');
  if (magic !== DUMP_MAGIC) throw notADump(`it does not begin with ${JSON.stringify(DUMP_MAGIC.trim())}`);
  const header = parseHeader(await r.line(1 << 20));
  const size = BigInt(header.size);
  const key = opts.key === undefined ? (header.key === 0 ? 'private' : header.key) : opts.key;
  let existing: SegmentInfo | null = null;
  if (key !== 'private') {
    try {
      existing = getSegment({ key });
    } catch (e) {
      if (!(e instanceof OperationError) || e.fact?.kind !== 'no-key') throw e;
    }
  }
  if (existing && !opts.force) {
    throw new OperationError(`key ${formatKey(existing.key)} has segment ${existing.id} already`, {
      operation: 'restore', fact: { kind: 'key-taken', key: existing.key, holder: existing }, hint: 'restore it under another key, or write over it with force',
    });
  }
  if (existing && existing.size !== size) {
    throw new OperationError(`segment ${existing.id} under key ${formatKey(existing.key)} is ${existing.size} bytes, the dump ${size}: only one of the same size is written over`, { operation: 'restore' });
  }
  // A new segment takes the bytes directly; an existing one is written only from a checked private copy.
  const made = createSegment({
    key: existing ? 'private' : key, size, mode: header.mode, exclusive: !existing, ...(header.hugePages ? { hugetlb: true } : {}),
  });
  try {
    const a = Attachment.attach({ id: made.id });
    const hash = createHash('sha256');
    try {
      // A MiB at a time through one buffer: read from the dump, hashed there, and written with pwrite(2) to the
      // segment's file where it can be opened (Attachment.write): reading and hashing through our 4 KiB mapping took
      // several times longer here.
      const piece = Buffer.allocUnsafeSlow(Math.min(CHUNK, a.size));
      for (let at = 0, n = 0; at < a.size;) {
        // A signal's handler runs between two pieces: a restore of gigabytes stops within a second, undone.
        if (++n % 64 === 0) {
          await yieldToEventLoop();
          throwIfInterrupted(opts.signal);
        }
        const got = await r.readBuffer(piece.subarray(0, Math.min(CHUNK, a.size - at)));
        if (got === 0) throw notADump(`it ends after ${at} of its ${size} bytes`);
        const bytes = piece.subarray(0, got);
        hash.update(bytes);
        a.write(at, bytes);
        at += got;
      }
    } finally {
      a.detach();
    }
    const end = (await r.take(END.length)).toString('latin1');
    if (end !== END) throw notADump(end.length < END.length ? 'it ends before its trailer' : `more bytes than its header's ${size}, or no trailer`);
    let trailer: DumpTrailer;
    try {
      trailer = JSON.parse((await r.line(1 << 16)) ?? '') as DumpTrailer;
    } catch {
      throw notADump('its trailer is not JSON');
    }
    if (trailer.bytes !== header.size) throw notADump(`its trailer says ${trailer.bytes} bytes, its header ${header.size}`);
    if (trailer.sha256 !== hash.digest('hex')) throw notADump('its bytes do not match their SHA-256 digest');
    if (!(await r.atEnd())) throw notADump('there is more after its trailer');
    if (!existing) return { id: made.id, key: made.key, size, created: true, header, trailer };
    copySegment(made.id, existing.id);
    undoCreate(made.id);
    return { id: existing.id, key: existing.key, size, created: false, header, trailer };
  } catch (e) {
    undoCreate(made.id);
    throw e;
  }
}

/** Copies the bytes of one segment over another of the same size, a MiB at a time. */
function copySegment(from: number, to: number): void {
  const src = Attachment.attach({ id: from }, { readonly: true });
  try {
    const dst = Attachment.attach({ id: to });
    try {
      // One buffer, reused: a fresh MiB for each piece cost ~4.7 s a GiB in page faults here.
      const buf = Buffer.allocUnsafeSlow(Math.min(CHUNK, src.size));
      for (let at = 0; at < src.size; at += CHUNK) dst.write(at, src.readInto(at, buf.subarray(0, Math.min(CHUNK, src.size - at))));
    } finally {
      dst.detach();
    }
  } catch (e) {
    if (e instanceof SysError) throw new OperationError(`cannot write over segment ${to}: ${e.code}`, { operation: 'restore', sys: e });
    throw e;
  } finally {
    src.detach();
  }
}
