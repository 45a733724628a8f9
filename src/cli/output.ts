// stdout carries results only; notices go to stderr as "shmkit: <command>: <message>".
import { writeAll } from './io.js';
import { OperationError } from '../core/errors.js';

/** stdout could not take the result (ENOSPC on /dev/full, EIO): a failed operation. EPIPE is thrown as it is (141). */
export class OutputError extends OperationError {
  readonly code: string;
  constructor(e: NodeJS.ErrnoException) {
    const text = e.message.replace(/^[A-Z0-9]+: /, '').replace(/, write$/, '');
    super(`cannot write to standard output: ${e.code ?? 'error'} (${text.charAt(0).toUpperCase()}${text.slice(1)})`);
    this.name = 'OutputError';
    this.code = e.code ?? 'error';
  }
}

/** Writes to stdout, all of it; throws OutputError, or the EPIPE error where stdout was closed. */
export function print(text: string | Uint8Array): void {
  try {
    writeAll(1, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EPIPE' || typeof err.code !== 'string') throw e;
    throw new OutputError(err);
  }
}

/** A line on stderr that reports and is no error (the reader's lockstep summary): without the error prefix. */
export function report(message: string): void {
  writeAll(2, `${message}\n`);
}

export function notice(command: string, message: string): void {
  writeAll(2, `shmkit: ${command}: ${message}\n`);
}

/**
 * Output of many small pieces (list --json of thousands of segments) through one reused 64 KiB buffer: no large
 * string or buffer is ever built, and fresh memory, which is what costs on a VM, is touched once (issue 6).
 */
export class BufferedOutput {
  readonly #fd: number;
  readonly #buf = Buffer.allocUnsafe(1 << 16);
  #len = 0;

  readonly #encoding: 'utf8' | 'latin1';
  /** Bytes a character of text can take: 3 in UTF-8 (for each UTF-16 unit), 1 in latin1. */
  readonly #most: number;

  /** latin1: the text is bytes, one per character (ipcs's rows, which cut names inside a UTF-8 character as it does). */
  constructor(fd = 1, encoding: 'utf8' | 'latin1' = 'utf8') {
    this.#fd = fd;
    this.#encoding = encoding;
    this.#most = encoding === 'utf8' ? 3 : 1;
  }

  write(text: string): void {
    if (text.length * this.#most > this.#buf.length - this.#len) {
      this.flush();
      if (text.length * this.#most > this.#buf.length) {
        writeAll(this.#fd, Buffer.from(text, this.#encoding));
        return;
      }
    }
    this.#len += this.#buf.write(text, this.#len, this.#encoding);
  }

  flush(): void {
    if (this.#len === 0) return;
    writeAll(this.#fd, this.#buf.subarray(0, this.#len));
    this.#len = 0;
  }
}
