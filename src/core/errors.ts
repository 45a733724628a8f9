// Typed errors of the domain. The CLI maps them to exit codes in one place (src/cli/errors.ts);
// the core never prints and never exits.
import { SysError } from '../sys/errors.js';

export { SysError };

export type ErrorKind = 'input' | 'operation' | 'peer-died' | 'interrupted';

export class ShmkitError extends Error {
  readonly kind: ErrorKind;
  /** A suggested fix, appended to the message by the CLI. */
  readonly hint: string | undefined;
  /** The failed libc call behind this error, when there is one. */
  readonly sys: SysError | undefined;
  constructor(kind: ErrorKind, message: string, options: { hint?: string; sys?: SysError } = {}) {
    super(message);
    this.name = 'ShmkitError';
    this.kind = kind;
    this.hint = options.hint;
    this.sys = options.sys;
  }
}

/** Bad input: a malformed number, key, size, offset, or an option that cannot apply. Nothing was changed. */
export class InputError extends ShmkitError {
  constructor(message: string, hint?: string) {
    super('input', message, hint === undefined ? {} : { hint });
    this.name = 'InputError';
  }
}

/** An operation the kernel refused, or that failed part way. */
export class OperationError extends ShmkitError {
  constructor(message: string, options: { hint?: string; sys?: SysError } = {}) {
    super('operation', message, options);
    this.name = 'OperationError';
  }
}

/** The other side of a writer/reader pair died or went away before it completed. */
export class PeerDiedError extends ShmkitError {
  constructor(message: string, hint?: string) {
    super('peer-died', message, hint === undefined ? {} : { hint });
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
export function opError(what: string, sys: SysError, hint?: string): OperationError {
  return new OperationError(`${what}: ${sys.code} (${sys.description})`, hint === undefined ? { sys } : { sys, hint });
}
