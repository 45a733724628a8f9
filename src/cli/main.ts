// The entry point: parse, run, and map any error to one line on stderr and an exit code (src/cli/errors.ts).
import { buildProgram } from './program.js';
import { isBrokenPipe, report } from './errors.js';

let command: string | null = null;
const program = buildProgram((name) => {
  command = name;
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (isBrokenPipe(e)) {
    process.exitCode = 141; // the reader of our stdout went away, as when SIGPIPE ends cat
  } else {
    process.exitCode = report(command, e);
  }
}
