// Creating a segment: shmget with IPC_CREAT, told apart from opening one that exists, with the usual failures
// (EEXIST, EINVAL on size, ENOSPC, EACCES) explained by their facts; and taking a creation back.
import { readFileSync } from 'node:fs';
import * as sys from '../sys/libc.js';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, SHM_HUGETLB, SHM_HUGE_SHIFT, SHM_NORESERVE } from '../sys/constants.js';
import { Attachment } from './attachment.js';
import { readSegment, statSegment } from './control.js';
import { willFit } from './fits.js';
import { InputError, type OperationError, SysError, opError } from './errors.js';
import { formatKey, formatMode } from './parse.js';
import type { SegmentInfo } from './types.js';

export const DEFAULT_MODE = 0o644;

export interface CreateOptions {
  /** A key, or 'private' for IPC_PRIVATE, or undefined for a random unused key. */
  key?: number | 'private';
  size: bigint;
  mode?: number;
  /** Fail with EEXIST when the key is taken, instead of opening the existing segment. */
  exclusive?: boolean;
  /** SHM_HUGETLB: back it with huge pages (reserved with vm.nr_hugepages); hugePageSize picks 2 MiB or 1 GiB ones. */
  hugetlb?: boolean;
  hugePageSize?: bigint;
  /** SHM_NORESERVE: reserve no swap for it (a write may then meet SIGSEGV when memory runs out). */
  noReserve?: boolean;
  /** A byte to fill the segment with, only when this call creates it (an existing segment is left as it is). */
  fill?: number;
}

export interface CreateResult {
  id: number;
  key: number;
  size: bigint;
  mode: number;
  /** False when the key already had a segment and shmget opened it. */
  created: boolean;
  /** Whether fill was written: only into a segment this call created. */
  filled: boolean;
  info: SegmentInfo;
}

/** A random key (0, IPC_PRIVATE, is for the caller to skip), as ipcmk picks one. */
function randomKey(): number {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return b[0] ?? 1;
}

/** shmget with IPC_CREAT, explaining the usual failures (EEXIST, EINVAL on size, ENOSPC, EACCES). */
export function createSegment(opts: CreateOptions): CreateResult {
  const r = createBare(opts, flagsOf(opts));
  if (opts.fill === undefined || !r.created) return r;
  try {
    const a = Attachment.attach({ id: r.id });
    try {
      a.fill(0, Number(r.size), opts.fill);
    } finally {
      a.detach();
    }
  } catch (e) {
    undoCreate(r.id);
    throw e;
  }
  return { ...r, filled: true };
}

/** shmget's flags beyond the mode: huge pages (and their size), no swap reserved. */
function flagsOf(opts: CreateOptions): number {
  let flags = (opts.hugetlb ? SHM_HUGETLB : 0) | (opts.noReserve ? SHM_NORESERVE : 0);
  if (opts.hugePageSize !== undefined) {
    if (!opts.hugetlb) throw new InputError('a huge page size goes with huge pages (hugetlb)');
    const log2 = opts.hugePageSize.toString(2).length - 1;
    if (opts.hugePageSize !== 1n << BigInt(log2) || (log2 !== 21 && log2 !== 30)) {
      throw new InputError(`huge page size ${opts.hugePageSize} is not 2 MiB or 1 GiB`, 'x86_64 has huge pages of 2M and 1G');
    }
    flags |= log2 << SHM_HUGE_SHIFT;
  }
  return flags;
}

function createBare(opts: CreateOptions, flags: number): CreateResult {
  const mode = (opts.mode ?? DEFAULT_MODE) | flags;
  if (opts.size < 1n) throw new InputError('size must be at least 1 byte', 'the kernel refuses empty segments (SHMMIN is 1)');
  return createOrOpen(opts.key, opts.exclusive ?? false,
    (key, create) => (create ? made(sys.shmget(key, opts.size, mode | IPC_CREAT | IPC_EXCL), key, true) : made(sys.shmget(key, opts.size, mode), key, false)),
    (e, key) => explainCreate(e, key, opts.size, flags));
}

/**
 * The loop behind every create (segments, semaphore sets, queues). With no key, random unused keys, as ipcmk picks
 * one, but never a taken key reused. With a key, IPC_CREAT | IPC_EXCL first, so that the result says whether this
 * call made it; unless exclusive, a taken key is then opened as IPC_CREAT alone would (again, should what had it be
 * removed in between). make(key, true) creates, make(key, false) opens; explain words a failure for the key.
 */
export function createOrOpen<T>(key: number | 'private' | undefined, exclusive: boolean, make: (key: number, create: boolean) => T,
  explain: (e: unknown, key: number) => unknown): T {
  if (key === undefined) {
    for (let attempt = 0; ; attempt++) {
      const k = randomKey();
      if (k === IPC_PRIVATE) continue;
      try {
        return make(k, true);
      } catch (e) {
        if (e instanceof SysError && e.code === 'EEXIST' && attempt < 100) continue;
        throw explain(e, k);
      }
    }
  }
  const k = key === 'private' ? IPC_PRIVATE : key;
  for (let attempt = 0; ; attempt++) {
    try {
      return make(k, true);
    } catch (e) {
      if (!(e instanceof SysError) || e.code !== 'EEXIST' || exclusive) throw explain(e, k);
    }
    try {
      return make(k, false);
    } catch (e) {
      // Removed between the two calls: try again.
      if (e instanceof SysError && e.code === 'ENOENT' && attempt < 10) continue;
      throw explain(e, k);
    }
  }
}

/**
 * The result for the segment shmget gave, as the kernel records it (readSegment: a mode without the owner's read bit
 * does not hide it from its creator). Should even that fail, a segment this call made is removed before the error
 * goes on: a create that reports failure leaves nothing behind.
 */
function made(id: number, key: number, created: boolean): CreateResult {
  try {
    const info = readSegment(id);
    return { id, key, size: info.size, mode: info.mode, created, filled: false, info };
  } catch (e) {
    if (created) undoCreate(id);
    throw e;
  }
}

/**
 * Takes back a segment that create made but could not report (its id could not be printed, say): removes it if
 * nobody has attached it since. Returns false, removing nothing, where someone has: then the caller names it.
 */
export function undoCreate(id: number): boolean {
  try {
    if (readSegment(id).nattch > 0) return false;
    sys.shmRmid(id);
    return true;
  } catch {
    return true; // gone already
  }
}

function existing(key: number): SegmentInfo | null {
  try {
    const id = sys.shmget(key, 0, 0);
    return statSegment({ id });
  } catch {
    return null;
  }
}

function explainCreate(e: unknown, key: number, size: bigint, flags = 0): unknown {
  if (!(e instanceof SysError)) return e;
  const k = formatKey(key);
  switch (e.code) {
    case 'EEXIST': {
      const holder = existing(key);
      return opError(`key ${k} is taken`, e, {
        fact: { kind: 'key-taken', key, holder },
        hint: holder ? `segment ${holder.id} has it (${holder.size} bytes, mode ${formatMode(holder.mode)})` : 'a segment has it',
      });
    }
    case 'EINVAL': {
      const holder = key === IPC_PRIVATE ? null : existing(key);
      if (holder && holder.size < size) {
        return opError(`key ${k} exists with ${holder.size} bytes and you asked for ${size}`, e, {
          fact: { kind: 'key-smaller', key, holder }, hint: `ask for ${holder.size} bytes or fewer, or remove segment ${holder.id} first`,
        });
      }
      const limits = sys.ipcInfo();
      if (size > limits.shmmax) {
        return opError(`size ${size} is above the kernel's limit (shmmax = ${limits.shmmax})`, e, { fact: { kind: 'above-shmmax', shmmax: limits.shmmax } });
      }
      return opError(`cannot create a segment of ${size} bytes under key ${k}`, e);
    }
    case 'ENOSPC': {
      // Which of the two ENOSPC limits of newseg() was hit, with its numbers (a check of willFit's, after the fact).
      const check = willFit(size, 1, 'kernel').checks.find((c) => !c.fits && (c.limit === 'shmmni' || c.limit === 'shmall'));
      if (!check || (check.limit !== 'shmmni' && check.limit !== 'shmall')) return opError('no room for another segment (shmmni or shmall)', e);
      const fact = { kind: 'no-room', limit: check.limit, allowed: check.allowed, used: check.used, asked: check.asked } as const;
      return opError(check.limit === 'shmmni'
        ? `no room for another segment: shmmni allows ${check.allowed} and ${check.used} are in use`
        : `no room for ${check.asked} more pages: shmall allows ${check.allowed} and ${check.used} are in use`, e, {
        fact, hint: `remove segments nobody uses, or raise kernel.${check.limit} to ${check.used + check.asked} or more`,
      });
    }
    case 'ENOMEM': {
      if (!(flags & SHM_HUGETLB)) return opError(`not enough memory for ${size} bytes`, e);
      const huge = hugePages(flags);
      const needed = (size + huge.pageSize - 1n) / huge.pageSize;
      return opError(`not enough huge pages for ${size} bytes: ${needed} of ${huge.pageSize / 1024n} KiB needed, ${huge.free} free of ${huge.total} reserved`, e, {
        fact: { kind: 'no-huge-pages', needed, free: huge.free, total: huge.total, pageSize: huge.pageSize },
      });
    }
    case 'EACCES':
      return keyDenied(key, e);
    case 'EPERM':
      return opError('not permitted to use huge pages', e, { fact: { kind: 'huge-pages-denied', group: hugetlbGroup() } });
    default:
      return opError(`cannot create a segment under key ${k}`, e);
  }
}

/** EACCES from shmget on a key that has a segment: the same words for create, writer and reader. */
export function keyDenied(key: number, e: SysError): OperationError {
  return opError(`key ${formatKey(key)} exists and you may not open it`, e, { fact: { kind: 'key-denied', key }, hint: 'its mode does not let you read and write it' });
}

/** The huge pages of the size flags name (or the default size): reserved, free, and their size, from /proc/meminfo or sysfs. */
function hugePages(flags: number): { total: bigint; free: bigint; pageSize: bigint } {
  const log2 = (flags >> SHM_HUGE_SHIFT) & 0x3f;
  const read = (path: string) => {
    try {
      return readFileSync(path, 'latin1');
    } catch {
      return '';
    }
  };
  const meminfo = read('/proc/meminfo');
  const field = (name: string) => BigInt(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? '0');
  const pageSize = log2 ? 1n << BigInt(log2) : field('Hugepagesize') * 1024n;
  const dir = `/sys/kernel/mm/hugepages/hugepages-${pageSize / 1024n}kB`;
  const count = (name: string) => BigInt(read(`${dir}/${name}`).trim() || '0');
  return { total: count('nr_hugepages'), free: count('free_hugepages'), pageSize };
}

/** vm.hugetlb_shm_group: the group whose members may use huge pages without CAP_IPC_LOCK. */
function hugetlbGroup(): number {
  try {
    return Number(readFileSync('/proc/sys/vm/hugetlb_shm_group', 'latin1').trim());
  } catch {
    return 0;
  }
}
