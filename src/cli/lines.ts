// Line output for the writer and reader: straight through when they pace themselves (a person is watching),
// gathered into large writes at full speed (--interval 0), where a write per line would cost more than the work.
import { print } from './output.js';

export class LineSink {
  #parts: string[] = [];
  #size = 0;
  #last = Date.now();
  #timer: NodeJS.Timeout | null = null;
  readonly #buffered: boolean;
  constructor(buffered: boolean) {
    this.#buffered = buffered;
  }
  /**
   * Unbuffered, each line goes out at once. Buffered, lines go out in 64 KiB writes, but never more than 50 ms late:
   * a line after a pause flushes at once, and a timer catches what waits behind a slow writer.
   */
  add(text: string): void {
    if (!this.#buffered) {
      print(text);
      return;
    }
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 16 || Date.now() - this.#last >= 50) this.flush();
    else if (this.#timer === null) this.#timer = setTimeout(() => this.flush(), 50).unref();
  }
  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#last = Date.now();
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    print(text);
  }
}

/**
 * An AbortSignal that SIGINT and SIGTERM abort, with the signal's name as the reason. The handlers stay until the
 * process exits: a second signal (Ctrl-C pressed twice, or a terminal's SIGINT to the whole group plus demo's own
 * forwarding) must not find the default action back while the first one's cleanup and message are under way, or
 * the process would die without its line on stderr and with a signal instead of 130/143.
 */
export function signalController(): AbortSignal {
  const controller = new AbortController();
  const on = (sig: 'SIGINT' | 'SIGTERM') => () => {
    if (!controller.signal.aborted) controller.abort(sig);
  };
  process.on('SIGINT', on('SIGINT'));
  process.on('SIGTERM', on('SIGTERM'));
  return controller.signal;
}
