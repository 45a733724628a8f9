// Writing to stdout and stderr from synchronous code, whatever the fd's blocking mode: a non-blocking pipe that is
// full is waited on with poll(2) instead of failing with EAGAIN.
import { writeSync } from 'node:fs';
import * as sys from '../sys/libc.js';

export function writeAll(fd: number, data: string | Uint8Array): void {
  let buf = typeof data === 'string' ? Buffer.from(data) : data;
  while (buf.length > 0) {
    let n: number;
    try {
      n = writeSync(fd, buf);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        sys.waitFd(fd, 'out');
        continue;
      }
      throw e;
    }
    buf = buf.subarray(n);
  }
}

/** Blocks until fd has input (or EOF). */
export function waitReadable(fd: number): void {
  sys.waitFd(fd, 'in');
}
