// The error of a failed libc call. Kept apart from libc.ts (which loads koffi) so that code that only needs the type
// does not load the FFI.

/** A failed libc call: errno name (EINVAL), number, the call (shmget) and strerror's text. */
export class SysError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly description: string;
  constructor(syscall: string, errno: number, code: string, description: string) {
    super(`${syscall}: ${code} (${description})`);
    this.name = 'SysError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
    this.description = description;
  }
}

/** The FFI could not be loaded (koffi missing, or its native package in another version): the install is broken. */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}
