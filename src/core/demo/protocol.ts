// The seed's shared struct, and what both sides of it use: the segment's opening, the blocks, a pause, a stop.
//
//   struct shmseg { int cnt; int complete; char buf[1024]; };   // 1032 bytes, key 0x1234, mode 0644 | IPC_CREAT
//
// The struct is never changed, so the seed's C writer and reader work against ours. Lockstep adds a semaphore set
// under the same key (lockstep.ts), which the C programs never look at.
import { setTimeout as sleep } from 'node:timers/promises';
import * as sys from '../../sys/libc.js';
import { IPC_CREAT, IPC_EXCL } from '../../sys/constants.js';
import { InterruptedError, SysError, opError } from '../errors.js';
import { keyDenied } from '../create.js';
import { formatKey } from '../parse.js';

export const SEED_KEY = 0x1234;
export const SEED_MODE = 0o644;
export const BUF_SIZE = 1024;
export const CNT_OFFSET = 0;
export const COMPLETE_OFFSET = 4;
export const BUF_OFFSET = 8;
export const SEGMENT_SIZE = 8 + BUF_SIZE; // sizeof(struct shmseg)
export const BLOCK_BYTES = BUF_SIZE - 1; // what fill_buffer writes before the NUL

/**
 * The letter of block i (0-based) as the seed's fill_buffer makes it: A to Z, then '[', B, C ... Z, '[', B ...
 * (fill_buffer increments past 'Z' once before its wrap check resets to 'A' and increments again).
 */
export function letterFor(i: number): number {
  if (i < 26) return 65 + i;
  const k = (i - 26) % 26;
  return k === 0 ? 91 : 65 + k;
}

/** The 1024 bytes of buf for block i: 1023 letters and a NUL. One per letter, made once. */
const blocks = new Map<number, Buffer>();
export function blockFor(i: number): Buffer {
  const letter = letterFor(i);
  let b = blocks.get(letter);
  if (!b) {
    b = Buffer.alloc(BUF_SIZE, letter);
    b[BLOCK_BYTES] = 0;
    blocks.set(letter, b);
  }
  return b;
}

/**
 * Throws if the run was stopped: InterruptedError for a signal (the reason names it: 'SIGINT', 'SIGTERM', 'SIGHUP'),
 * or the reason itself where it is an error (the caller's output failed: EPIPE, say).
 */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  throw new InterruptedError(reason === 'SIGTERM' || reason === 'SIGHUP' ? reason : 'SIGINT');
}

/**
 * The seed's segment under key: shmget(key, 1032, 0644 | IPC_CREAT), as both seed programs open it, told apart from
 * an existing one: created is true only when this call made it (IPC_EXCL went through), so that a side that removes
 * what it made never removes what it only opened.
 */
export function openSeedSegment(key: number): { id: number; created: boolean } {
  for (let attempt = 0; ; attempt++) {
    try {
      return { id: sys.shmget(key, SEGMENT_SIZE, SEED_MODE | IPC_CREAT | IPC_EXCL), created: true };
    } catch (e) {
      if (!(e instanceof SysError) || e.code !== 'EEXIST') throw explainSeedOpen(key, e);
    }
    try {
      return { id: sys.shmget(key, SEGMENT_SIZE, SEED_MODE), created: false };
    } catch (e) {
      // Removed between the two calls: create it after all.
      if (e instanceof SysError && e.code === 'ENOENT' && attempt < 10) continue;
      throw explainSeedOpen(key, e);
    }
  }
}

function explainSeedOpen(key: number, e: unknown): unknown {
  if (e instanceof SysError && e.code === 'EINVAL') {
    return opError(`key ${formatKey(key)} has a segment smaller than the ${SEGMENT_SIZE} bytes of struct shmseg`, e, {
      fact: { kind: 'not-seed-segment', key, size: SEGMENT_SIZE }, hint: 'it is not a writer/reader segment; remove it or use another key',
    });
  }
  if (e instanceof SysError && e.code === 'EACCES') return keyDenied(key, e);
  if (e instanceof SysError) return opError(`open the segment for key ${formatKey(key)}`, e);
  return e;
}

/** What a lockstep side waits for, a second after it began to: a partner to start (another process, on this key). */
export interface Waiting {
  for: 'reader' | 'writer';
  key: number;
}

/** An interval's sleep that a signal cuts short. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return;
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  }
}

/** Lets the event loop run (timers, signal handlers) from inside a synchronous wait loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
