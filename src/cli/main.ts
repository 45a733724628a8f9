// The entry point: parse, run, and map any error to one line on stderr and an exit code (src/cli/errors.ts).
import { buildProgram } from './program.js';
import { EXIT, isBrokenPipe, report } from './errors.js';

let command: string | null = null;
const program = buildProgram((name) => {
  command = name;
}, process.argv.slice(2));

// No top-level await: the bin runs this file bundled as CommonJS (scripts/bundle.js), which has none.
// After a failure, exit at once: output that a stdout nobody reads could not take yet (lines.ts keeps it, and a timer
// to try again) must not keep the process alive.
program.parseAsync(process.argv).catch((e: unknown) => {
  // The reader of our stdout went away: 141, silently, as when SIGPIPE ends cat.
  process.exit(isBrokenPipe(e) ? EXIT.BROKEN_PIPE : report(command, e));
});
