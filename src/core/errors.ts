// Typed errors of the domain. The CLI maps them to exit codes and words in one place (src/cli/errors.ts,
// src/cli/explain.ts); the core never prints, never exits, and names no command or option: what a user should type
// to fix a failure is the front end's to say, from the facts an error carries (`fact`).
import { LoadError, SysError } from '../sys/errors.js';
import { sysError } from '../sys/libc.js';
import type { SegmentInfo } from './types.js';

export { LoadError, SysError };

export type ErrorKind = 'input' | 'operation' | 'peer-died' | 'interrupted';

/**
 * What a failure means, as facts  (ids, keys, sizes, the segment that holds a key) that a front end words a fix from.
 * The kinds are stable: a caller may switch on them.
 */
export type Fact =
  /** shmget(IPC_CREAT | IPC_EXCL) found the key taken; holder is the segment that has it, where it could be read. */
  | { kind: 'key-taken'; key: number; holder: SegmentInfo | null; ipc?: 'sem' | 'msg' }
  /** The key's segment is smaller than the size asked for. */
  | { kind: 'key-smaller'; key: number; holder: SegmentInfo }
  /** IPC_SET refused (EPERM): only the owner, the creator or CAP_SYS_ADMIN may change a segment. */
  | { kind: 'set-denied'; id: number; uid: number; cuid: number }
  /** SHM_LOCK or SHM_UNLOCK refused (EPERM, or ENOMEM past RLIMIT_MEMLOCK); memlock is the caller's limit, null unlimited. */
  | { kind: 'lock-denied'; id: number; uid: number; cuid: number; size: bigint; memlock: bigint | null }
  /** SHM_HUGETLB and too few huge pages free (ENOMEM): reserve more with vm.nr_hugepages. */
  | { kind: 'no-huge-pages'; needed: bigint; free: bigint; total: bigint; pageSize: bigint }
  /** SHM_HUGETLB refused (EPERM): not in vm.hugetlb_shm_group (group) and no CAP_IPC_LOCK. */
  | { kind: 'huge-pages-denied'; group: number }
  /** The size asked for is above the kernel's shmmax. */
  | { kind: 'above-shmmax'; shmmax: bigint }
  /** No room: shmmni segments are in use, or shmall pages would be passed; used and asked are in the limit's unit. */
  | { kind: 'no-room'; limit: 'shmmni' | 'shmall'; allowed: bigint; used: bigint; asked: bigint }
  /** The key's segment exists and its mode does not let the caller open it. */
  | { kind: 'key-denied'; key: number; ipc?: 'sem' | 'msg' }
  /** A segment was named by key 0 (IPC_PRIVATE), which no segment can be found by. */
  | { kind: 'private-key'; ipc?: 'sem' | 'msg' }
  /** No segment has this key. */
  | { kind: 'no-key'; key: number; ipc?: 'sem' | 'msg' }
  /** No segment has this id (it may have been removed). */
  | { kind: 'no-id'; id: number; ipc?: 'sem' | 'msg' }
  /** The segment's mode does not give the caller the access the call needs. */
  | { kind: 'id-denied'; id: number; ipc?: 'sem' | 'msg' }
  /** Attaching for writing was refused: it needs read and write permission. */
  | { kind: 'write-denied'; id: number }
  /** Text that is not an id. */
  | { kind: 'bad-id' }
  /** A lockstep reader already runs on this key. */
  | { kind: 'lockstep-reader-running'; key: number }
  /** A lockstep reader waited, and the segment was completed or removed by a writer that does not take part in lockstep. */
  | { kind: 'no-lockstep-writer'; key: number; segment: 'completed' | 'removed' }
  /** The key has a semaphore set of another shape than a lockstep session's. */
  | { kind: 'foreign-sem-set'; key: number }
  /** The key's semaphore set was never initialised: its creator died first. */
  | { kind: 'sem-set-uninitialised'; key: number; id: number }
  /** The key has a segment too small to be the seed's struct shmseg. */
  | { kind: 'not-seed-segment'; key: number; size: number }
  /**
   * Another IPC namespace could not be looked into: its file (/proc/PID/ns/ipc) is another user's (need
   * CAP_SYS_PTRACE), or setns(2) refused (need CAP_SYS_ADMIN). inode and pid where they are known.
   */
  | { kind: 'namespace-denied'; need: 'CAP_SYS_ADMIN' | 'CAP_SYS_PTRACE'; inode: number | null; pid: number | null }
  /** No IPC namespace is there: no such process, no namespace of that inode, or no such file. */
  | { kind: 'no-namespace'; pid?: number; inode?: number; path?: string };

export interface ErrorOptions {
  /** A suggested fix in general words, appended to the message by the CLI where it has none of its own for `fact`. */
  hint?: string | undefined;
  /** The failed libc call behind this error. */
  sys?: SysError | undefined;
  /** What was being done, where it is one of the library's operations ('stat', 'attach', 'remove'...). */
  operation?: string | undefined;
  fact?: Fact | undefined;
}

export class ShmkitError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly sys: SysError | undefined;
  /** The operation that failed, where the message starts with it ("stat: no segment has id 7"). */
  readonly operation: string | undefined;
  /** The message without the operation in front. */
  readonly detail: string;
  readonly fact: Fact | undefined;
  constructor(kind: ErrorKind, message: string, options: ErrorOptions = {}) {
    super(options.operation === undefined ? message : `${options.operation}: ${message}`);
    this.name = 'ShmkitError';
    this.kind = kind;
    this.detail = message;
    this.hint = options.hint;
    this.sys = options.sys;
    this.operation = options.operation;
    this.fact = options.fact;
  }
}

/** Bad input: a malformed number, key, size, offset, or an option that cannot apply. Nothing was changed. */
export class InputError extends ShmkitError {
  constructor(message: string, hint?: string, fact?: Fact) {
    super('input', message, { hint, fact });
    this.name = 'InputError';
  }
}

/** An operation the kernel refused, or that failed part way. */
export class OperationError extends ShmkitError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('operation', message, options);
    this.name = 'OperationError';
  }
}

/** The other side of a writer/reader pair died or went away before it completed. */
export class PeerDiedError extends ShmkitError {
  constructor(message: string, hint?: string) {
    super('peer-died', message, { hint });
    this.name = 'PeerDiedError';
  }
}

/** Stopped by SIGINT, SIGTERM or SIGHUP after cleaning up. */
export class InterruptedError extends ShmkitError {
  readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP';
  constructor(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', message = `interrupted by ${signal}`) {
    super('interrupted', message);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

/** Errors that mean "splice cannot do this here" (a TTY, an O_APPEND file, an old kernel): use read/write instead. */
const NO_SPLICE = new Set(['EINVAL', 'ENOSYS', 'EOPNOTSUPP', 'EBADF', 'ESPIPE']);
export const cannotSplice = (e: unknown): e is SysError => e instanceof SysError && NO_SPLICE.has(e.code);

/** A non-blocking fd that is not ready (EAGAIN), or a signal (EINTR): poll(2) for it and try again. */
export const mustWait = (e: unknown): e is SysError => e instanceof SysError && (e.code === 'EAGAIN' || e.code === 'EINTR');

/** A failed call on an IPC object that no longer exists: EIDRM, or EINVAL once its id is free. */
export function isGone(e: unknown): e is SysError {
  return e instanceof SysError && (e.code === 'EIDRM' || e.code === 'EINVAL');
}

/** Wraps a SysError with what the user was doing; `what` reads like "attach segment 5". */
export function opError(what: string, sys: SysError, more: string | Omit<ErrorOptions, 'sys'> = {}): OperationError {
  const options = typeof more === 'string' ? { hint: more } : more;
  return new OperationError(`${what}: ${sys.code} (${sys.description})`, { ...options, sys });
}

/**
 * The SysError for a failed call of node's own (fs: open, write) that carries an errno, with strerror's words as the
 * libc calls have them ("ENOENT (No such file or directory)", where node says "no such file or directory").
 */
export function sysErrorFrom(e: unknown): SysError | undefined {
  const err = e as NodeJS.ErrnoException | null;
  if (!(err instanceof Error) || typeof err.errno !== 'number' || typeof err.code !== 'string') return undefined;
  return sysError(err.syscall ?? 'call', Math.abs(err.errno));
}

/** A failed call of node's own (a file that cannot be opened), its errno as every message says one. */
export function nodeErrnoText(e: unknown): string {
  const sys = sysErrorFrom(e);
  return sys ? `${sys.code} (${sys.description})` : (e as Error).message;
}

/** An errno as every message says it: its name and strerror's words, "EISDIR (Is a directory)". */
export function errnoText(errno: number): string {
  const e = sysError('', errno);
  return `${e.code} (${e.description})`;
}
