// The entry point: parse, run, and map any error to one line on stderr and an exit code (src/cli/errors.ts).
import { buildProgram } from './program.js';
import { isBrokenPipe, report } from './errors.js';

let command: string | null = null;
const program = buildProgram((name) => {
  command = name;
}, process.argv.slice(2));

// No top-level await: the bin runs this file bundled as CommonJS (scripts/bundle.js), which has none.
program.parseAsync(process.argv).catch((e: unknown) => {
  if (isBrokenPipe(e)) {
    process.exitCode = 141; // the reader of our stdout went away, as when SIGPIPE ends cat
  } else {
    process.exitCode = report(command, e);
  }
});
