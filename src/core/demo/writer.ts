// The seed's writer (shm_write.c), and its lockstep form. Output lines are the seed's, byte for byte.
import * as sys from '../../sys/libc.js';
import { OperationError, PeerDiedError, isGone, opError } from '../errors.js';
import { formatKey } from '../parse.js';
import { Attachment, memoryOf } from '../attachment.js';
import { EMPTY, READER, SPINS, SyncSems, WRITER } from './lockstep.js';
import {
  BLOCK_BYTES, BUF_OFFSET, BUF_SIZE, CNT_OFFSET, COMPLETE_OFFSET, SEED_KEY, SEGMENT_SIZE,
  blockFor, openSeedSegment, pause, throwIfInterrupted, yieldToEventLoop, type Waiting,
} from './protocol.js';

export interface WriterOptions {
  key?: number;
  count?: number;
  intervalMs?: number;
  /** Lockstep: every block is taken by one reader before the next is written (a semaphore set under the same key). */
  sync?: boolean;
  /** Aborted to stop cleanly: with 'SIGINT', 'SIGTERM' or 'SIGHUP' as its reason, or an error (that is then thrown). */
  signal?: AbortSignal;
  /** A line for stdout (without its newline). A promise returned is waited for (the output catching up). */
  out: (line: string) => void | Promise<void>;
  /** Called once when a lockstep writer has waited a second for a reader to start. */
  onWaiting?: (waiting: Waiting) => void;
}

export interface WriterResult {
  blocks: number;
  id: number;
}

function removeQuietly(id: number): void {
  try {
    sys.shmRmid(id);
  } catch (e) {
    if (!isGone(e)) throw e;
  }
}

export async function runWriter(opts: WriterOptions): Promise<WriterResult> {
  const key = opts.key ?? SEED_KEY;
  const count = opts.count ?? 5;
  const interval = opts.intervalMs ?? 3000;
  const { id } = openSeedSegment(key);
  const seg = Attachment.attach({ id });
  let sems: SyncSems | null = null;
  let finished = false;
  // Whether this process runs the session: then it removes the segment and the set at its end, whatever ends it.
  // A second lockstep writer that is turned away touches neither.
  let owner = !opts.sync;
  try {
    const mem = memoryOf(seg, 0, SEGMENT_SIZE);
    const words = new Int32Array(mem.buffer, mem.byteOffset, 2);
    const buf = mem.subarray(BUF_OFFSET, BUF_OFFSET + BUF_SIZE);
    const line = `Writing Process: Shared Memory Write: Wrote ${BLOCK_BYTES} bytes`;
    const interrupted = () => throwIfInterrupted(opts.signal);

    if (!opts.sync) {
      for (let i = 0; i < count; i++) {
        interrupted();
        buf.set(blockFor(i));
        words[CNT_OFFSET / 4] = BLOCK_BYTES;
        words[COMPLETE_OFFSET / 4] = 0;
        const wait = opts.out(line);
        if (wait) await wait; // only when the output must catch up: a resolved await per block costs
        await pause(interval, opts.signal);
      }
      interrupted();
    } else {
      sems = await SyncSems.open(key, () => opts.signal?.aborted ?? false);
      if (!sems.register(WRITER, true)) {
        throw new OperationError(`another writer is running on key ${formatKey(key)}`, { hint: 'wait for it to finish, or stop it' });
      }
      owner = true;
      if (!sems.created && sems.value(READER) === 0) sems.reset(); // left over by a session that is gone
      let readerSeen = false;
      let waitingSince = Date.now();
      let told = false;
      /** Waits for EMPTY: the reader has taken the last block. */
      const waitEmpty = async (published: number): Promise<void> => {
        for (;;) {
          if (interval === 0 ? sems!.takeSoon(EMPTY, SPINS) : sems!.take(EMPTY)) return;
          await yieldToEventLoop();
          interrupted();
          const readers = sems!.value(READER);
          if (readers > 0) readerSeen = true;
          else if (readerSeen) {
            throw new PeerDiedError(`the reader went away after ${published} of ${count} blocks`);
          } else if (!told && Date.now() - waitingSince > 1000) {
            opts.onWaiting?.({ for: 'reader', key });
            told = true;
          }
        }
      };
      for (let i = 0; i < count; i++) {
        await waitEmpty(i);
        if (!readerSeen && sems.value(READER) > 0) readerSeen = true;
        buf.set(blockFor(i));
        words[CNT_OFFSET / 4] = BLOCK_BYTES;
        words[COMPLETE_OFFSET / 4] = 0;
        sems.publish(i);
        const wait = opts.out(line);
        if (wait) await wait; // only when the output must catch up: a resolved await per block costs
        waitingSince = Date.now();
        if (interval > 0) {
          // A signal cuts the pause short; without this check a reader that keeps up would let the loop run on.
          await pause(interval, opts.signal);
          interrupted();
        } else if ((i & 1023) === 1023) {
          await yieldToEventLoop();
          interrupted();
        }
      }
      await waitEmpty(count);
      interrupted();
      words[COMPLETE_OFFSET / 4] = 1;
      sems.handOver(EMPTY);
      // The reader checks the total against the sequence number and acknowledges; only then does the set go.
      // A reader that exits first (it has everything by then) ends the wait too.
      while (!sems.take(EMPTY)) {
        if (sems.value(READER) === 0) break;
        await yieldToEventLoop();
        interrupted();
      }
    }
    await opts.out(`Writing Process: Wrote ${count} times`);
    if (!opts.sync) words[COMPLETE_OFFSET / 4] = 1;
    finished = true;
  } catch (e) {
    if (isGone(e) && sems !== null && e.syscall.startsWith('sem')) {
      throw opError(`the semaphore set of key ${formatKey(key)} was removed while the writer ran`, e, 'someone ran ipcrm on it; start the session again');
    }
    throw e;
  } finally {
    // Whatever happened, the session ends here: detach, and remove the segment and the semaphore set, as the seed's
    // writer removes the segment at its end. A reader still attached keeps the memory until it detaches.
    seg.detach();
    if (owner) {
      removeQuietly(id);
      sems?.remove();
    }
  }
  if (finished) await opts.out('Writing Process: Complete');
  return { blocks: count, id };
}
