// Line output for the writer, the reader and the demo, and the signals that stop them.
//
// Their output never blocks the event loop. Where stdout is a pipe, a FIFO or a terminal (what can stay full for
// ever: a reader that does not read, a terminal stopped with Ctrl-S), it is opened again through /proc/self/fd/1 as
// an open file of our own, non-blocking, so that the shell's and the other processes' view of the same pipe stays
// as it was; a write that would block then waits on a timer, and the event loop runs meanwhile. A stdout that nobody
// reads stalls the output (and, through add()'s promise, the run), but not the process: SIGINT, SIGTERM and SIGHUP
// are handled at once, the run stops with its cleanup, and the process exits with 130, 143 or 129. (A write on
// libuv's thread pool would do the first part, but a thread hung in write(2) then holds up the process's exit.)
// Regular files and the rest are written as they are. A write that fails (EPIPE: stdout closed; ENOSPC) stops the
// run the same way, from wherever it happens, a timer's flush included: the run ends with its cleanup and the error,
// which the CLI turns into 141 (silently) or one line.
import { constants, fstatSync, openSync, writeSync } from 'node:fs';

/** The signals that stop a run, with its cleanup. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** What stops a run: a signal, or the error that ended its output. */
export type StopReason = StopSignal | Error;

export interface RunControl {
  /** Aborted with the StopReason as its reason. */
  signal: AbortSignal;
  stop(reason: StopReason): void;
}

/**
 * A RunControl that SIGINT, SIGTERM and SIGHUP stop, with the signal's name as the reason. The handlers stay until the
 * process exits: a second signal (Ctrl-C pressed twice, or a terminal's SIGINT to the whole group plus demo's own
 * forwarding) must not find the default action back while the first one's cleanup and message are under way, or
 * the process would die without its line on stderr and with a signal instead of its exit code.
 */
export function runControl(): RunControl {
  const controller = new AbortController();
  const stop = (reason: StopReason) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  for (const sig of STOP_SIGNALS) process.on(sig, () => stop(sig));
  return { signal: controller.signal, stop };
}

/** Output is written in pieces of at most this many bytes' worth of text, and add() holds the run back past HIGH. */
const CHUNK = 1 << 16;
const HIGH = 1 << 20;
/** How long a buffered line may wait, and how long the last flush after a stop may take. */
const LATE_MS = 50;
const LAST_FLUSH_MS = 250;

/** How long a write that would block waits before it tries again. */
const RETRY_MS = 2;

/** fd, or where it is a pipe, FIFO or terminal, an open file of our own on the same thing, non-blocking (see above). */
function outputFd(fd: number): number {
  try {
    const st = fstatSync(fd);
    if (!st.isFIFO() && !st.isCharacterDevice()) return fd;
    return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return fd; // no /proc, or a pipe with no reader left (ENXIO): the first write says EPIPE
  }
}

export class LineSink {
  /**
   * What is queued, as bytes, in one buffer reused from write to write: a reader at full speed queues a block of a
   * KiB each few microseconds, and strings joined and encoded at every write took ~11 us a block here.
   */
  readonly #buf = Buffer.allocUnsafeSlow(CHUNK);
  #size = 0;
  /** Bytes taken from #buf that a full stdout did not take yet, and the timer that tries again. */
  #pending: Buffer | null = null;
  #retry: NodeJS.Timeout | null = null;
  #last = Date.now();
  #timer: NodeJS.Timeout | null = null;
  #failed = false;
  #error: Error | null = null;
  #waiters: Array<() => void> = [];
  readonly #buffered: boolean;
  readonly #control: RunControl;
  readonly #fd: number;
  readonly #encoding: BufferEncoding;

  /**
   * Unbuffered, each line goes out at once. Buffered (a writer or reader at full speed, where a write per line would
   * cost more than the work), lines go out in 64 KiB writes, never more than 50 ms late.
   */
  constructor(buffered: boolean, control: RunControl, fd = 1, encoding: BufferEncoding = 'utf8') {
    this.#buffered = buffered;
    this.#encoding = encoding;
    this.#control = control;
    this.#fd = outputFd(fd);
    control.signal.addEventListener('abort', () => this.#wake(), { once: true });
  }

  /** Queues text. Returns a promise when the caller should wait for the output to catch up (or for the run to stop). */
  add(text: string): Promise<void> | undefined {
    return this.addBytes(text);
  }

  /** Queues pieces of text or bytes, one after the other, as add() does. */
  addBytes(...pieces: Array<string | Uint8Array>): Promise<void> | undefined {
    if (this.#failed) return undefined;
    for (const p of pieces) this.#put(p);
    if (!this.#buffered || this.#queued() >= CHUNK || Date.now() - this.#last >= LATE_MS) this.#kick();
    else if (this.#timer === null) this.#timer = setTimeout(() => this.#kick(), LATE_MS).unref();
    return this.#queued() >= HIGH && !this.#control.signal.aborted ? this.#until(() => this.#queued() < HIGH) : undefined;
  }

  /**
   * Writes what is queued and waits for it; throws the error a write met (EPIPE, ENOSPC). After a stop, waits at
   * most a moment: a stdout that nobody reads must not hold the process.
   */
  async flush(): Promise<void> {
    this.#kick();
    const written = this.#until(() => this.#queued() === 0, true);
    if (this.#control.signal.aborted) await Promise.race([written, new Promise((r) => setTimeout(r, LAST_FLUSH_MS).unref())]);
    else await written;
    if (this.#error) throw this.#error;
  }

  /**
   * Waits for a run, then for its output: all of it after a run that ended well (a failed write is then the error);
   * after one that failed, only as long as flush() allows, and the run's own error is the one that goes on.
   */
  async finish<T>(run: Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await run;
    } catch (e) {
      await this.flush().catch(() => {});
      throw e;
    }
    await this.flush();
    return result;
  }

  /** Copies a piece into #buf, writing out what is there first (as a full buffer is) where it does not fit. */
  #put(piece: string | Uint8Array): void {
    const most = typeof piece === 'string' ? piece.length * (this.#encoding === 'latin1' ? 1 : 3) : piece.length;
    if (this.#size + most > this.#buf.length) this.#kick();
    if (most > this.#buf.length) {
      const data = typeof piece === 'string' ? Buffer.from(piece, this.#encoding) : Buffer.from(piece);
      this.#pending = this.#pending ? Buffer.concat([this.#pending, data]) : data;
    } else if (typeof piece === 'string') {
      this.#size += this.#buf.write(piece, this.#size, this.#encoding);
    } else {
      this.#buf.set(piece, this.#size);
      this.#size += piece.length;
    }
  }

  /** Moves what #buf holds to the end of #pending (a copy: #buf is reused). */
  #move(): void {
    if (this.#size === 0) return;
    const data = Buffer.from(this.#buf.subarray(0, this.#size));
    this.#size = 0;
    this.#pending = this.#pending ? Buffer.concat([this.#pending, data]) : data;
  }

  #queued(): number {
    return this.#size + (this.#pending?.length ?? 0);
  }

  /** Moves what is queued into #pending and writes it, now: synchronously, so a run that does not yield is not held up. */
  #kick(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#last = Date.now();
    if (this.#failed) return;
    if (this.#retry !== null) {
      this.#move();
      return;
    }
    // Nothing waiting: write straight from #buf, and keep a copy only of what stdout did not take.
    if (this.#pending === null && this.#size > 0) {
      const all = this.#buf.subarray(0, this.#size);
      this.#size = 0;
      let at = 0;
      try {
        while (at < all.length) at += writeSync(this.#fd, all.subarray(at));
      } catch (e) {
        this.#pending = Buffer.from(all.subarray(at));
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') this.#fail(e as Error);
        else this.#drain();
        return;
      }
      this.#wake();
      return;
    }
    this.#move();
    this.#drain();
  }

  #fail(e: Error): void {
    this.#failed = true;
    this.#error = e;
    this.#size = 0;
    this.#pending = null;
    this.#control.stop(e);
    this.#wake();
  }

  /** Writes #pending until it is all out, stdout is full (then a timer tries again) or a write fails. */
  #drain(): void {
    while (this.#pending !== null && this.#pending.length > 0) {
      try {
        this.#pending = this.#pending.subarray(writeSync(this.#fd, this.#pending));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          this.#retry = setTimeout(() => {
            this.#retry = null;
            this.#drain();
          }, RETRY_MS);
          return;
        }
        this.#fail(e as Error);
        return;
      }
    }
    this.#pending = null;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once done() holds, the output failed, or (unless evenIfStopped) the run stopped. */
  #until(done: () => boolean, evenIfStopped = false): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (done() || this.#failed || (!evenIfStopped && this.#control.signal.aborted)) resolve();
        else this.#waiters.push(check);
      };
      check();
    });
  }
}
