// The seed's polling reader (shm_read.c), and its lockstep form that takes every block exactly once.
import * as sys from '../../sys/libc.js';
import { OperationError, PeerDiedError, SysError, isGone } from '../errors.js';
import { SHM_DEST } from '../../sys/constants.js';
import { pidAlive } from '../attached.js';
import { Attachment, memoryOf } from '../attachment.js';
import { formatKey } from '../parse.js';
import { FULL, READER, SEQ_MOD, SPINS, SyncSems, WRITER } from './lockstep.js';
import {
  BLOCK_BYTES, BUF_OFFSET, BUF_SIZE, CNT_OFFSET, COMPLETE_OFFSET, SEED_KEY, SEGMENT_SIZE,
  blockFor, letterFor, openSeedSegment, pause, throwIfInterrupted, yieldToEventLoop, type Waiting,
} from './protocol.js';

export interface Block {
  /** The writer's block number (0-based) in lockstep; null when polling, where blocks carry no number. */
  seq: number | null;
  /** How many times the reader has looked (1-based). */
  poll: number;
  /** cnt, as the writer set it. */
  bytes: number;
  /** The letter the block is made of, or null when it is not 1023 copies of one letter and a NUL. */
  letter: string | null;
  /** In lockstep: the block is not what the writer's block seq must hold (torn, or overwritten). */
  torn: boolean;
  time: Date;
  /** buf up to its first NUL (what the seed prints with %s): the block's own copy, taken when it was read. */
  data: Buffer;
  /** data as text, one character per byte (latin1). */
  text: () => string;
}

export interface ReaderOptions {
  key?: number;
  intervalMs?: number;
  /** Lockstep: take every block exactly once from a lockstep writer (a semaphore set under the same key). */
  sync?: boolean;
  signal?: AbortSignal;
  /** Each block as it is read; leave it out to only count them. A promise returned is waited for (the output catching up). */
  onBlock?: (block: Block) => void | Promise<void>;
  /** The closing lines of the seed's reader. */
  out: (line: string) => void | Promise<void>;
  /** Called once when a lockstep reader has waited a second for a writer to start. */
  onWaiting?: (waiting: Waiting) => void;
}

export interface ReaderResult {
  blocks: number;
  missing: number;
  duplicate: number;
  torn: number;
}

function uniformLetter(buf: Uint8Array): string | null {
  const c = buf[0] ?? 0;
  if (c === 0 || buf[BLOCK_BYTES] !== 0) return null;
  for (let i = 1; i < BLOCK_BYTES; i++) if (buf[i] !== c) return null;
  return String.fromCharCode(c);
}

/**
 * A block as onBlock gets it: its own copy of buf up to the first NUL, so that nothing the caller keeps refers to the
 * mapping (which is gone after the run, and changes under it while it runs).
 */
function block(fields: Omit<Block, 'data' | 'text' | 'time'>, buf: Uint8Array): Block {
  const nul = buf.indexOf(0);
  const data = Buffer.from(buf.subarray(0, nul < 0 ? buf.length : nul));
  return { ...fields, time: new Date(), data, text: () => data.toString('latin1') };
}

/** How often the lockstep reader reads the writer's sequence number when the blocks agree with it. */
const CHECKPOINT = 256;
/** How many times the lockstep reader looks at buf for the next block before it waits in semop. */
const SPIN_READS = 20_000;

export async function runReader(opts: ReaderOptions): Promise<ReaderResult> {
  const key = opts.key ?? SEED_KEY;
  const interval = opts.intervalMs ?? 3000;
  const { id, created } = openSeedSegment(key);
  const seg = Attachment.attach({ id }, { readonly: true });
  const result: ReaderResult = { blocks: 0, missing: 0, duplicate: 0, torn: 0 };
  let sems: SyncSems | null = null;
  let registered = false;
  let outcome: 'done' | 'peer-died' | 'stopped' = 'stopped';
  try {
    const mem = memoryOf(seg, 0, SEGMENT_SIZE);
    const words = new Int32Array(mem.buffer, mem.byteOffset, 3);
    const buf = Buffer.from(mem.buffer, mem.byteOffset + BUF_OFFSET, BUF_SIZE);
    const complete = () => words[COMPLETE_OFFSET / 4] === 1;
    const interrupted = () => throwIfInterrupted(opts.signal);
    const seen = () => `${result.blocks} block${result.blocks === 1 ? '' : 's'} read`;

    if (!opts.sync) {
      let poll = 0;
      while (!complete()) {
        interrupted();
        const cnt = words[CNT_OFFSET / 4] ?? 0;
        poll++;
        result.blocks++;
        if (opts.onBlock) await opts.onBlock(block({ seq: null, poll, bytes: cnt, letter: uniformLetter(buf), torn: false }, buf));
        if (cnt === -1) throw new OperationError('read: the writer set cnt to -1 (an error on its side)');
        await pause(interval, opts.signal);
        // Has the writer gone without completing? Then nothing will ever set complete: stop instead of polling forever.
        // The kernel's record first, complete after it: the writer sets complete before it removes the segment (the
        // seed's order), so one that completes and removes between our two looks is seen as the normal end it is.
        const st = sys.shmStat(id);
        if (complete()) break;
        interrupted();
        const dest = (st.mode & SHM_DEST) !== 0;
        const written = (words[CNT_OFFSET / 4] ?? 0) !== 0 || buf[0] !== 0;
        if (dest) {
          outcome = 'peer-died';
          throw new PeerDiedError(`the writer removed segment ${id} before it completed (${seen()})`);
        }
        // Nobody else is attached, something was written, complete is not set, and the writer's pid is dead: the
        // last to detach (lpid) if that was not us, else the creator (the writer made it and died before we came).
        // A pid of 0 is a process of another PID namespace: unknown, never dead.
        const writerPid = st.lpid !== process.pid ? st.lpid : st.cpid;
        if (Number(st.nattch) <= 1 && written && writerPid > 0 && writerPid !== process.pid && !pidAlive(writerPid)) {
          outcome = 'peer-died';
          throw new PeerDiedError(`the writer (pid ${writerPid}) died before it completed (${seen()})`);
        }
      }
    } else {
      sems = await SyncSems.open(key, () => opts.signal?.aborted ?? false);
      registered = sems.register(READER, true);
      if (!registered) {
        throw new OperationError(`another lockstep reader is running on key ${formatKey(key)}`, {
          fact: { kind: 'lockstep-reader-running', key }, hint: 'a lockstep session has one reader: blocks would be shared out between them',
        });
      }
      let writerSeen = false;
      let told = false;
      const waitingSince = Date.now();
      let expected = 0;
      const gone = (why: string): never => {
        outcome = 'peer-died';
        throw new PeerDiedError(`${why} (${seen()})`);
      };
      // The writer removes the set when it ends, so any semaphore call may find it gone (EIDRM, or EINVAL once the
      // id is free): then complete says whether the writer ended well.
      try {
        for (;;) {
          // At full speed the next block is microseconds away: watch buf change before going to sleep in semop.
          const first = words[BUF_OFFSET / 4];
          for (let k = 0; k < SPIN_READS && Atomics.load(words, BUF_OFFSET / 4) === first && Atomics.load(words, COMPLETE_OFFSET / 4) !== 1; k++);
          if (!sems.takeSoon(FULL, SPINS)) {
            await yieldToEventLoop();
            interrupted();
            const writers = sems.value(WRITER);
            if (writers > 0) writerSeen = true;
            else if (writerSeen) gone('the writer died before it completed');
            else {
              // No lockstep writer yet. A writer that knows nothing of the semaphores (the seed's shm_write) may be
              // filling the segment meanwhile: its end is ours too.
              if (complete()) {
                throw new OperationError('a writer outside lockstep completed the segment: no block came in lockstep', {
                  fact: { kind: 'no-lockstep-writer', key, segment: 'completed' }, hint: 'run the writer in lockstep too',
                });
              }
              if ((sys.shmStat(id).mode & SHM_DEST) !== 0) {
                throw new OperationError('the segment was removed before a lockstep writer came', {
                  fact: { kind: 'no-lockstep-writer', key, segment: 'removed' }, hint: 'run the writer in lockstep too',
                });
              }
              if (!told && Date.now() - waitingSince > 1000) {
                opts.onWaiting?.({ for: 'writer', key });
                told = true;
              }
            }
            continue;
          }
          writerSeen = true;
          if (complete()) {
            // Everything the writer published has to have come through.
            const published = sems.sequence();
            if (published > expected % SEQ_MOD) result.missing += published - (expected % SEQ_MOD);
            sems.handOver(FULL); // the acknowledgement the writer waits for before it removes the set
            break;
          }
          const cnt = words[CNT_OFFSET / 4] ?? 0;
          // The block should be the next one: compare its bytes with that block's (two blocks in a row never share a
          // letter, so a repeat or a skip shows). Read the writer's sequence number when they differ, and every
          // CHECKPOINT blocks: it cannot change while we hold the block, so a checkpoint that agrees proves that no
          // block was skipped since the last one (even a skip of 26, which the letters would not show).
          let index = expected % SEQ_MOD;
          let fresh = true;
          let good = cnt === BLOCK_BYTES && buf.equals(blockFor(index));
          if (!good || (result.blocks & (CHECKPOINT - 1)) === CHECKPOINT - 1) {
            const seq = (sems.sequence() - 1 + SEQ_MOD) % SEQ_MOD;
            if (seq !== index) {
              if (seq < index) {
                result.duplicate++;
                fresh = false;
              } else {
                result.missing += seq - index;
                expected += seq - index;
              }
              index = seq;
              good = cnt === BLOCK_BYTES && buf.equals(blockFor(seq));
            }
          }
          if (fresh) expected++;
          if (!good) result.torn++;
          result.blocks++;
          if (opts.onBlock) {
            const wait = opts.onBlock(block({
              seq: index, poll: result.blocks, bytes: cnt, letter: good ? String.fromCharCode(letterFor(index)) : uniformLetter(buf), torn: !good,
            }, buf));
            if (wait) {
              // The output is behind (a stdout nobody reads): hand the block back first, so the writer is not held
              // up by our output, then wait; a signal or a closed stdout ends the wait.
              sems.handOver(FULL);
              await wait;
              interrupted();
              continue;
            }
          }
          sems.handOver(FULL);
          if ((result.blocks & 1023) === 0) {
            await yieldToEventLoop();
            interrupted();
          }
        }
      } catch (e) {
        if (!isGone(e)) throw e;
        // Ctrl-C in a terminal signals the whole foreground group (demo, or a pipeline): the set may be gone because
        // the writer got the same SIGINT. Our own signal comes first; its handler runs once the event loop does.
        await yieldToEventLoop();
        interrupted();
        if (!complete()) gone('the writer ended before it completed');
      }
    }
    outcome = 'done';
    await opts.out('Reading Process: Reading Done, Detaching Shared Memory');
  } finally {
    seg.detach();
    if (outcome !== 'done') removeWhatWeMade(id, created, sems, registered);
  }
  await opts.out('Reading Process: Complete');
  return result;
}

/**
 * When the reader ends before the writer completed (stopped, or the writer died): remove what this reader made itself
 * and nobody uses, so that a session it started leaves nothing behind. Never what it only opened, as the seed's
 * reader never removes anything: a segment made by createSegment, filled by another program or made by a writer
 * that died is not the reader's to remove (findOrphans finds what a dead writer left).
 */
function removeWhatWeMade(id: number, created: boolean, sems: SyncSems | null, registered: boolean): void {
  const writerRunning = sems !== null && safeValue(sems, WRITER) > 0;
  if (created && !writerRunning) {
    try {
      const st = sys.shmStat(id);
      if (Number(st.nattch) === 0 && (st.mode & SHM_DEST) === 0) sys.shmRmid(id);
    } catch (e) {
      if (!(e instanceof SysError)) throw e; // already gone
    }
  }
  // Our own READER registration is still counted until we exit; anyone else's means the set is in use.
  if (sems?.created && !writerRunning && safeValue(sems, READER) <= (registered ? 1 : 0)) sems.remove();
}

function safeValue(sems: SyncSems, sem: number): number {
  try {
    return sems.value(sem);
  } catch {
    return 0;
  }
}
