// The one place that turns errors into a line on stderr and an exit code.
//   0 ok · 1 a failed operation · 2 usage errors and bad input · 3 the writer died · 129 SIGHUP · 130 SIGINT · 143 SIGTERM
//   141 stdout closed early (main.ts), silently, as cat ends under SIGPIPE
import { CommanderError } from 'commander';
import { InterruptedError, OperationError, ShmkitError, SysError } from '../core/errors.js';
import { LoadError } from '../core/errors.js';
import { writeAll } from './io.js';
import { wordsFor } from './explain.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, PEER_DIED: 3, SIGHUP: 129, SIGINT: 130, SIGTERM: 143, BROKEN_PIPE: 141 } as const;

/** A failure whose lines were already written (one per failed item): exit 1 without another line. */
export class ReportedFailure extends OperationError {
  constructor(count: number, of: number) {
    super(`${count} of ${of} failed`);
    this.name = 'ReportedFailure';
  }
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander.help with exit code 1 is shmkit with no command: its help went to stderr, a usage error.
    return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
  }
  if (e instanceof ShmkitError) {
    switch (e.kind) {
      case 'input': return EXIT.USAGE;
      case 'peer-died': return EXIT.PEER_DIED;
      case 'interrupted': return e instanceof InterruptedError ? EXIT[e.signal] : EXIT.SIGINT;
      default: return EXIT.FAILED;
    }
  }
  return EXIT.FAILED;
}

/** The text of the one line, without the "shmkit: command: " prefix. */
export function messageFor(e: unknown, command: string | null = null): string {
  if (e instanceof CommanderError) {
    const text = e.message.replace(/^error: /, '');
    return `${text} (see --help)`;
  }
  if (e instanceof ShmkitError) {
    const { message, hint } = wordsFor(e, command);
    return hint ? `${message}; ${hint}` : message;
  }
  if (e instanceof SysError || e instanceof LoadError) return e.message;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && e instanceof Error) return e.message; // node's own system errors name their code
  return `internal error: ${e instanceof Error ? e.message : String(e)} (this is a bug; SHMKIT_DEBUG=1 shows where)`;
}

/** Writes the one line for e to stderr and returns the exit code. */
export function report(command: string | null, e: unknown): number {
  const code = exitCodeFor(e);
  // Nothing more to say: success, failures already reported one per line, or the help already on stderr.
  if (code === 0 || e instanceof ReportedFailure || (e instanceof CommanderError && e.code === 'commander.help')) return code;
  const where = command ? `shmkit: ${command}: ` : 'shmkit: ';
  const message = messageFor(e, command).replace(/\s*\n\s*/g, ' ');
  let line = where + message + '\n';
  if (process.env.SHMKIT_DEBUG && e instanceof Error && e.stack) line += e.stack + '\n';
  try {
    writeAll(2, line);
  } catch {
    // stderr is gone: the exit code still tells
  }
  return code;
}

/** stdout closed under us (shmkit read | head): stop quietly, as cat does when SIGPIPE kills it. */
export function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'EPIPE' || (e instanceof SysError && e.code === 'EPIPE');
}
