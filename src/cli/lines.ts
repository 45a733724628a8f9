// Line output for the writer and reader: straight through when they pace themselves (a person is watching),
// gathered into large writes at full speed (--interval 0), where a write per line would cost more than the work.
import { print } from './output.js';

export class LineSink {
  #parts: string[] = [];
  #size = 0;
  readonly #buffered: boolean;
  constructor(buffered: boolean) {
    this.#buffered = buffered;
  }
  add(text: string): void {
    if (!this.#buffered) {
      print(text);
      return;
    }
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    print(text);
  }
}

/** An AbortSignal that SIGINT and SIGTERM abort, with the signal's name as the reason. */
export function signalController(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const on = (sig: 'SIGINT' | 'SIGTERM') => () => {
    if (!controller.signal.aborted) controller.abort(sig);
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
