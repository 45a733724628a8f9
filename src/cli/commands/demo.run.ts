// The work of `shmkit demo`, loaded only when that command runs.
import { sessionKey } from '../options.js';
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SEED_KEY } from '../../core/demo/protocol.js';
import { InputError, InterruptedError, OperationError, PeerDiedError } from '../../core/errors.js';
import { formatKey, parseDuration, parseKey, parsePositive } from '../../core/parse.js';
import { getChalk } from '../color.js';
import { print } from '../output.js';

export
interface Opts { key: string; count: string; interval: string; sync?: boolean }

// The launcher this process was started by (bin/shmkit.js, or dist/cli/main.js run directly): writer and reader
// are started the same way.
const BIN = process.argv[1] ?? fileURLToPath(new URL('../../../bin/shmkit.js', import.meta.url));

export async function run(opts: Opts): Promise<void> {
  const key = sessionKey(opts.key);
  parsePositive(opts.count, 'count');
  parseDuration(opts.interval);
  const chalk = await getChalk();
  const common = ['--key', formatKey(key), '--interval', opts.interval, ...(opts.sync ? ['--sync'] : [])];
  const start = (role: 'writer' | 'reader', args: string[], paint: (s: string) => string) => {
    const child = spawn(process.execPath, [BIN, role, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    children.push(child);
    const prefix = paint(`[${role}]`);
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('latin1');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        if (lines.length) print(lines.map((l) => `${prefix} ${l}\n`).join(''));
      });
      stream.on('end', () => {
        if (rest) print(`${prefix} ${rest}\n`);
      });
    }
    return new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGTERM' ? 143 : signal === 'SIGINT' ? 130 : 1))))
      .then((code) => ({ code, child }));
  };
  const children: Array<ReturnType<typeof spawn>> = [];
  let stoppedBy: 'SIGINT' | 'SIGTERM' | null = null;
  const forward = (sig: 'SIGINT' | 'SIGTERM') => () => {
    stoppedBy = sig;
    for (const c of children) c.kill(sig);
  };
  // Installed for the rest of the process's life: a second signal must not find the default action back while the
  // children finish and the message is written (see signalController).
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  const writer = start('writer', [...common, '--count', opts.count], chalk.cyan);
  // The writer goes first, as in the tutorial; the reader follows a moment later.
  await new Promise((r) => setTimeout(r, opts.sync ? 0 : 100));
  const reader = start('reader', common, chalk.magenta);
  const [w, r] = await Promise.all([writer, reader]);
  if (stoppedBy) throw new InterruptedError(stoppedBy);
  if (r.code === 3) throw new PeerDiedError('the reader saw the writer die');
  if (w.code !== 0 || r.code !== 0) throw new OperationError(`the writer exited ${w.code} and the reader ${r.code}`);
}
