// The work of `shmkit demo`, loaded only when that command runs.
import { sessionKey } from '../options.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InterruptedError, OperationError, PeerDiedError } from '../../core/errors.js';
import { formatKey, parseDuration, parsePositive } from '../../core/parse.js';
import { statSegment } from '../../core/control.js';
import { getChalk } from '../color.js';
import { EXIT } from '../errors.js';
import { LineSink, STOP_SIGNALS, runControl, type StopReason, type StopSignal } from '../lines.js';

export
interface Opts { key: string; ftok?: string; count: string; interval: string; sync?: boolean }

// The launcher this process was started by (bin/shmkit.js, or dist/cli/main.js run directly): writer and reader
// are started the same way.
const BIN = process.argv[1] ?? fileURLToPath(new URL('../../../bin/shmkit.js', import.meta.url));

/** How long the reader may take to start and attach the segment before the writer starts anyway. */
const READER_START_MS = 10_000;

/**
 * The demo owns both processes, so it always ends: the reader starts first and the writer only once the reader has
 * the segment attached (a writer that ran first could complete and remove the segment before a reader came, at a
 * short interval, and the reader would make a new one and poll it for ever); when one side ends badly the other is
 * stopped; a signal is passed on to both; a stdout that closes stops both (exit 141).
 */
export async function run(opts: Opts): Promise<void> {
  const key = sessionKey(opts.key, opts.ftok);
  parsePositive(opts.count, 'count');
  parseDuration(opts.interval);
  const chalk = await getChalk();
  const control = runControl();
  // The children's output is read as latin1 (one character per byte) and written so: their bytes pass as they are.
  const sink = new LineSink(true, control, 1, 'latin1');
  const children: ChildProcess[] = [];
  const stopAll = (reason: StopReason) => {
    const sig = reason instanceof Error ? 'SIGTERM' : reason;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(sig);
  };
  control.signal.addEventListener('abort', () => stopAll(control.signal.reason as StopReason), { once: true });

  const common = ['--key', formatKey(key), '--interval', opts.interval, ...(opts.sync ? ['--sync'] : [])];
  const start = (role: 'writer' | 'reader', args: string[], paint: (s: string) => string) => {
    const child = spawn(process.execPath, [BIN, role, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    children.push(child);
    const prefix = paint(`[${role}]`);
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      // Bytes as they are: latin1 maps each byte to one character and back, so the prefixed lines carry the
      // children's bytes unchanged.
      stream.setEncoding('latin1');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        if (lines.length === 0) return;
        const wait = sink.add(lines.map((l) => `${prefix} ${l}\n`).join(''));
        if (wait) {
          stream.pause(); // our own stdout is behind: let the child wait, not our memory
          void wait.then(() => stream.resume());
        }
      });
      stream.on('end', () => {
        if (rest) sink.add(`${prefix} ${rest}\n`);
      });
    }
    const bySignal = (code: number) => STOP_SIGNALS.find((sig) => EXIT[sig] === code);
    return new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal && (STOP_SIGNALS as readonly string[]).includes(signal) ? EXIT[signal as StopSignal] : 1))))
      .then((code) => {
        // One side ended badly: the other cannot finish alone (a reader waits for a writer, a --sync writer for a
        // reader), so it is stopped too: with the same signal where a signal stopped this one (Ctrl-C in a terminal
        // reaches both; the second SIGINT changes nothing), else with SIGTERM.
        if (code !== 0) stopAll(bySignal(code) ?? 'SIGTERM');
        return code;
      });
  };

  const reader = start('reader', common, chalk.magenta);
  let readerDone = false;
  void reader.then(() => (readerDone = true));
  // The reader makes (or opens) the segment and attaches it; then the writer goes.
  for (const until = Date.now() + READER_START_MS; !readerDone && !control.signal.aborted && Date.now() < until && !readerAttached(key);) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const writer = control.signal.aborted || readerDone ? Promise.resolve(0) : start('writer', [...common, '--count', opts.count], chalk.cyan);
  const [r, w] = await Promise.all([reader, writer]);
  const stopped = control.signal.reason as StopReason | undefined;
  if (stopped) {
    await sink.flush().catch(() => {}); // what stopped the run is the error to report
    throw stopped instanceof Error ? stopped : new InterruptedError(stopped);
  }
  await sink.flush();
  if (r === 3) throw new PeerDiedError('the reader saw the writer die');
  if (w !== 0 || r !== 0) throw new OperationError(`the writer exited ${w} and the reader ${r}`);
}

function readerAttached(key: number): boolean {
  try {
    return statSegment({ key }).nattch > 0;
  } catch {
    return false;
  }
}
