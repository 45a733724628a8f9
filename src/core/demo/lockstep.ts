// The lockstep handshake: a System V semaphore set under the seed's key, beside the segment (protocol.ts), which the
// seed's C programs never look at:
//
//   EMPTY   the writer may fill buf (1 at start)          FULL    a block is waiting for the reader
//   SEQ_LO  SEQ_HI   blocks published so far, as HI * 32768 + LO, raised in the same semop that posts FULL
//   WRITER  READER   1 while a writer / reader is running: taken with SEM_UNDO, so the kernel drops them when a
//                    process dies however it dies, which is how each side notices the other is gone.
//
// EMPTY and FULL are one token between them (EMPTY + FULL is 1 but while a side holds it). A side takes the token
// with SEM_UNDO and hands it over in one semop that also takes back its own undo entry ([[held, +1, SEM_UNDO],
// [held, -1, 0], [other, +1, 0]]: the value of held does not change). So a side that dies holding the token, however
// it dies, gets it back from the kernel: a reader killed after taking FULL leaves FULL posted (the next reader takes
// that same block), a writer killed after taking EMPTY leaves EMPTY posted. Nobody waits for a token a dead process
// took with it, even if the partner never saw the death (a new reader or writer took its place first).
import * as sys from '../../sys/libc.js';
import { IPC_CREAT, IPC_EXCL, IPC_NOWAIT, SEM_UNDO } from '../../sys/constants.js';
import { OperationError, SysError, isGone, opError } from '../errors.js';
import { formatKey } from '../parse.js';
import { SEED_MODE } from './protocol.js';

export const EMPTY = 0;
export const FULL = 1;
export const SEQ_LO = 2;
export const SEQ_HI = 3;
export const WRITER = 4;
export const READER = 5;
export const NSEMS = 6;
const SEQ_BASE = 32768;
/** Sequence numbers wrap here (SEQ_HI is at most 32767). */
export const SEQ_MOD = SEQ_BASE * SEQ_BASE;

/** A timeout for each wait, short enough to notice a dead peer and a signal well within a second. */
export const WAIT_SLICE_MS = 200;

/** How many non-blocking tries before a blocking wait (about 1.5 µs each here, so up to a fifth of a millisecond). */
export const SPINS = 128;

/** The semaphore set of a lockstep session, created and initialised without a race whichever side comes first. */
export class SyncSems {
  readonly id: number;
  readonly created: boolean;
  readonly #slice = sys.encodeTimespec(WAIT_SLICE_MS);
  readonly #ops = new Map<string, Buffer>();
  // The operations of the hot loop, encoded once: one take, try-take and post per semaphore, and the publishes.
  readonly #take: Buffer[] = [];
  readonly #tryTake: Buffer[] = [];
  readonly #give: Buffer[] = [];
  readonly #publish = [
    sys.encodeSembuf([...handOver(EMPTY, FULL), [SEQ_LO, 1, 0]]),
    sys.encodeSembuf([...handOver(EMPTY, FULL), [SEQ_LO, -(SEQ_BASE - 1), 0], [SEQ_HI, 1, 0]]),
    sys.encodeSembuf([...handOver(EMPTY, FULL), [SEQ_LO, -(SEQ_BASE - 1), 0], [SEQ_HI, -(SEQ_BASE - 1), 0]]),
  ];
  readonly #handOver = new Map<number, Buffer>([[EMPTY, sys.encodeSembuf(handOver(EMPTY, FULL))], [FULL, sys.encodeSembuf(handOver(FULL, EMPTY))]]);
  readonly #values = new Uint16Array(NSEMS);

  private constructor(id: number, created: boolean) {
    this.id = id;
    this.created = created;
    for (let sem = 0; sem < NSEMS; sem++) {
      // The token is taken with SEM_UNDO (see above); nothing else is ever taken.
      this.#take.push(sys.encodeSembuf([[sem, -1, SEM_UNDO]]));
      this.#tryTake.push(sys.encodeSembuf([[sem, -1, IPC_NOWAIT | SEM_UNDO]]));
      this.#give.push(sys.encodeSembuf([[sem, 1, 0]]));
    }
  }

  /**
   * Opens the set under key, or creates it. The creator (the one whose IPC_EXCL create succeeds) sets every value to
   * 0 and then posts EMPTY with a semop, which sets sem_otime; the others wait until sem_otime is set, so nobody uses
   * a set before it is initialised (Stevens, UNP vol. 2).
   */
  static async open(key: number, isAborted: () => boolean): Promise<SyncSems> {
    const k = formatKey(key);
    try {
      const id = sys.semget(key, NSEMS, SEED_MODE | IPC_CREAT | IPC_EXCL);
      sys.semSetAll(id, new Uint16Array(NSEMS));
      sys.semop(id, sys.encodeSembuf([[EMPTY, 1, 0]]));
      return new SyncSems(id, true);
    } catch (e) {
      if (!(e instanceof SysError) || e.code !== 'EEXIST') throw wrap(`create the semaphore set for key ${k}`, e);
    }
    let id: number;
    try {
      id = sys.semget(key, NSEMS, 0);
    } catch (e) {
      if (e instanceof SysError && e.code === 'EINVAL') {
        throw opError(`key ${k} has a semaphore set that is not a lockstep session's`, e, { fact: { kind: 'foreign-sem-set', key }, hint: 'remove it if it is stale' });
      }
      if (e instanceof SysError && e.code === 'ENOENT') return SyncSems.open(key, isAborted); // removed meanwhile: try again
      throw wrap(`open the semaphore set for key ${k}`, e);
    }
    const deadline = Date.now() + 5000;
    for (;;) {
      let otime: bigint;
      try {
        otime = sys.semStat(id).otime;
      } catch (e) {
        if (isGone(e)) return SyncSems.open(key, isAborted);
        throw wrap(`read the semaphore set for key ${k}`, e);
      }
      if (otime !== 0n) return new SyncSems(id, false);
      if (Date.now() > deadline || isAborted()) {
        throw new OperationError(`the semaphore set for key ${k} was never initialised (its creator died before it could)`,
          { fact: { kind: 'sem-set-uninitialised', key, id }, hint: `remove semaphore set ${id} and start again` });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  #op(ops: ReadonlyArray<readonly [number, number, number]>): Buffer {
    const name = ops.map((o) => o.join(',')).join(';');
    let b = this.#ops.get(name);
    if (!b) this.#ops.set(name, (b = sys.encodeSembuf(ops)));
    return b;
  }

  /** semop that must not block. */
  post(ops: ReadonlyArray<readonly [number, number, number]>): void {
    sys.semop(this.id, this.#op(ops));
  }

  /** Adds one to sem. */
  give(sem: number): void {
    sys.semop(this.id, this.#give[sem]!);
  }

  /**
   * Hands the token over: the writer, holding EMPTY, to FULL (without a new block: the end); the reader, holding FULL,
   * back to EMPTY. The undo entry of the take goes in the same semop.
   */
  handOver(held: typeof EMPTY | typeof FULL): void {
    sys.semop(this.id, this.#handOver.get(held)!);
  }

  /** Takes the token sem (EMPTY or FULL), waiting at most one slice. False on timeout or signal. */
  take(sem: number): boolean {
    return sys.semtimedop(this.id, this.#take[sem]!, this.#slice);
  }

  /** Takes one from sem if it can, without waiting. */
  tryTake(sem: number): boolean {
    return sys.semtimedop(this.id, this.#tryTake[sem]!, null);
  }

  /**
   * Takes one from sem, first trying for a moment without sleeping (adaptive spinning, as futex-based locks do):
   * at full speed the other side is about to post, and a sleep and wake-up costs more than the wait.
   */
  takeSoon(sem: number, spins: number): boolean {
    for (let i = 0; i < spins; i++) if (this.tryTake(sem)) return true;
    return this.take(sem);
  }

  /** Registers this process as WRITER or READER until it exits (SEM_UNDO). False if one is already registered. */
  register(role: number, exclusive: boolean): boolean {
    const ops: Array<readonly [number, number, number]> = exclusive ? [[role, 0, IPC_NOWAIT], [role, 1, SEM_UNDO]] : [[role, 1, SEM_UNDO]];
    return sys.semtimedop(this.id, this.#op(ops), null);
  }

  value(sem: number): number {
    return sys.semGetVal(this.id, sem);
  }

  values(): Uint16Array {
    sys.semGetAll(this.id, this.#values);
    return this.#values;
  }

  /** Blocks published so far, from SEQ_HI and SEQ_LO. */
  sequence(): number {
    const v = this.values();
    return (v[SEQ_HI] ?? 0) * SEQ_BASE + (v[SEQ_LO] ?? 0);
  }

  /**
   * Publishes block number `published` (0-based): hands EMPTY over to FULL and advances the sequence number in the
   * same semop, so the reader never sees one without the other. SEQ_LO wraps at 32768 into SEQ_HI, and SEQ_HI wraps too.
   */
  publish(published: number): void {
    const next = (published + 1) % SEQ_MOD;
    sys.semop(this.id, this.#publish[next % SEQ_BASE !== 0 ? 0 : next === 0 ? 2 : 1]!);
  }

  /** Back to the start state, for a set left over by a session whose processes are all gone. */
  reset(): void {
    sys.semSetVal(this.id, EMPTY, 1);
    sys.semSetVal(this.id, FULL, 0);
    sys.semSetVal(this.id, SEQ_LO, 0);
    sys.semSetVal(this.id, SEQ_HI, 0);
  }

  remove(): void {
    try {
      sys.semRmid(this.id);
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }
}

/** The semop of a hand-over from the token held to the other: the take's undo entry goes, held keeps its value. */
function handOver(held: number, to: number): Array<readonly [number, number, number]> {
  return [[held, 1, SEM_UNDO], [held, -1, 0], [to, 1, 0]];
}

function wrap(what: string, e: unknown): unknown {
  return e instanceof SysError ? opError(what, e) : e;
}
