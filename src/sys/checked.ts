// The one checked adapter, as node's lib/os.js has one for its bindings: every libc call of src/sys goes through
// checked(), which declares the function on its first call and turns a failed result (-1, or what the call's own
// convention says) into a SysError carrying the errno's name, number and text, with errno read first thing after the
// call, before anything else can change it. Errnos that a call expects (a timeout, a signal) can be let through.
import { SysError } from './errors.js';
import { declare, native } from './load.js';

export function errnoName(errno: number): string {
  return native().errnoNames.get(errno) ?? `E${errno}`;
}

export function strerrorText(errno: number): string {
  return strerror(errno);
}

/** A SysError for errno, with its name and strerror's text. */
export function sysError(call: string, errno: number): SysError {
  return new SysError(call, errno, errnoName(errno), strerrorText(errno));
}

export interface CheckOptions<R> {
  /** Whether a result means failure; by default a negative number. */
  failed?: (result: R) => boolean;
  /** Errnos that are not failures for this call: the result is returned as the call gave it. */
  expect?: readonly string[];
}

const negative = (r: unknown) => (r as number) < 0;

/** The libc function of `prototype`, checked: it throws SysError named `call` where the result says it failed. */
export function checked<F extends (...args: never[]) => unknown>(call: string, prototype: string, opts: CheckOptions<ReturnType<F>> = {}): F {
  let fn: F | undefined;
  let expected: Set<number> | undefined;
  const failed = opts.failed ?? negative;
  return ((...args: Parameters<F>) => {
    const r = (fn ??= declare(prototype) as F)(...args) as ReturnType<F>;
    if (failed(r)) {
      const errno = native().koffi.errno(); // first thing after the failed call: nothing else may run in between
      if (opts.expect && (expected ??= new Set(opts.expect.map((name) => native().errno[name] ?? -1))).has(errno)) return r;
      throw sysError(call, errno);
    }
    return r;
  }) as F;
}

const strerror = checked<(errnum: number) => string>('strerror', 'const char *strerror(int errnum)', { failed: () => false });
