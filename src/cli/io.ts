// Writing to stdout and stderr from synchronous code, whatever the fd's blocking mode: when a non-blocking pipe is
// full (EAGAIN), wait a moment and go on. No FFI here, so that printing a message does not load koffi.
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps ms milliseconds, synchronously. */
export function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

export function writeAll(fd: number, data: string | Uint8Array): void {
  let buf = typeof data === 'string' ? Buffer.from(data) : data;
  while (buf.length > 0) {
    let n: number;
    try {
      n = writeSync(fd, buf);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        sleepSync(1);
        continue;
      }
      throw e;
    }
    buf = buf.subarray(n);
  }
}
