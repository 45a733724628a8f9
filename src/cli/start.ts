// Parse, run, and map any error to one line on stderr and an exit code (src/cli/errors.ts), for the commands given:
// all of them (main.ts) or the one a command's own bundle holds (scripts/bundle.js).
import type { Command } from 'commander';
import type { CommandName } from './command-names.js';
import { buildProgram } from './program.js';
import { EXIT, isBrokenPipe, report } from './errors.js';

export function start(commands: Partial<Record<CommandName, (program: Command) => void>>): void {
  let command: string | null = null;
  const program = buildProgram((name) => {
    command = name;
  }, process.argv.slice(2), commands);

  // No top-level await: the bin runs this bundled as CommonJS (scripts/bundle.js), which has none.
  // After a failure, exit at once: output that a stdout nobody reads could not take yet (lines.ts keeps it, and a timer
  // to try again) must not keep the process alive.
  program.parseAsync(process.argv).catch((e: unknown) => {
    // The reader of our stdout went away: 141, silently, as when SIGPIPE ends cat.
    process.exit(isBrokenPipe(e) ? EXIT.BROKEN_PIPE : report(command, e));
  });
}
