// The one place that turns errors into a line on stderr and an exit code, and the one table of exit codes (EXIT_STATUS),
// which --help, the man pages and the writer's and reader's help are made from.
import { CommanderError } from 'commander';
import { InterruptedError, OperationError, ShmkitError, SysError, sysErrorFrom } from '../core/errors.js';
import { LoadError } from '../core/errors.js';
import { writeAll } from './io.js';
import { notice } from './output.js';
import { wordsFor } from './explain.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, PEER_DIED: 3, SIGHUP: 129, SIGINT: 130, SIGTERM: 143, BROKEN_PIPE: 141 } as const;

/** Every exit status: the codes, a few words (--help), and what it means (the man pages). */
export const EXIT_STATUS: ReadonlyArray<{ codes: readonly number[]; brief: string; meaning: string }> = [
  { codes: [EXIT.OK], brief: 'ok', meaning: 'done' },
  { codes: [EXIT.FAILED], brief: 'a failed operation', meaning: 'an operation failed: the kernel refused it, the segment is not there, or permission was denied' },
  { codes: [EXIT.USAGE], brief: 'usage or bad input (also: no command)', meaning: 'usage error or bad input; nothing was changed' },
  { codes: [EXIT.PEER_DIED], brief: 'the writer died', meaning: 'the other side of a writer/reader pair died before it completed' },
  { codes: [EXIT.SIGHUP, EXIT.SIGINT, EXIT.SIGTERM], brief: 'SIGHUP/SIGINT/SIGTERM', meaning: 'stopped by SIGHUP, SIGINT or SIGTERM, after cleaning up' },
  {
    codes: [EXIT.BROKEN_PIPE], brief: 'stdout closed early',
    meaning: 'standard output was closed before everything was written (as for cat in a pipe to head); nothing is printed',
  },
];

/**
 * The exit status in one sentence for a command's help: each code with its words, where `words` can say them for
 * the command ('the reader died first'), and leave one out (null).
 */
export function exitSentence(words: Partial<Record<number, string | null>> = {}): string {
  return EXIT_STATUS.map((e) => {
    const said = words[e.codes[0] as number];
    return said === null ? null : `${e.codes.join('/')} ${said ?? e.brief}`;
  }).filter((x) => x !== null).join('; ') + '.';
}

/** A failure whose lines were already written (one per failed item): exit 1 without another line. */
export class ReportedFailure extends OperationError {
  constructor(count: number, of: number) {
    super(`${count} of ${of} failed`);
    this.name = 'ReportedFailure';
  }
}

/**
 * Does each item in turn, going on past a failed operation: each failure is one line (its words for `operation`),
 * and if any failed, a ReportedFailure ends the command with exit 1. Bad input and the rest stop at once.
 */
export function eachReporting<T>(command: string, operation: string, items: readonly T[], fn: (item: T) => void): void {
  let failed = 0;
  for (const item of items) {
    try {
      fn(item);
    } catch (e) {
      if (!(e instanceof ShmkitError) || e.kind !== 'operation') throw e;
      failed++;
      notice(command, messageFor(e, operation));
    }
  }
  if (failed) throw new ReportedFailure(failed, items.length);
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
  // node's own failed calls (a write to a full disk): the errno as every message says it, with strerror's words.
  const sys = sysErrorFrom(e);
  if (sys) {
    const path = (e as NodeJS.ErrnoException).path;
    return `${sys.syscall}${path ? ` '${path}'` : ''}: ${sys.code} (${sys.description})`;
  }
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
