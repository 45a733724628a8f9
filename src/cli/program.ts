// The commander program: one module per command, registered here.
import { Command } from 'commander';
import { setNoColor } from './color.js';
import { InputError } from '../core/errors.js';
import { EXIT_STATUS } from './errors.js';
import { HELP_WIDTH, footer, wrap } from './help.js';
import { print } from './output.js';
import { writeAll } from './io.js';
import { COMMAND_NAMES, type CommandName } from './command-names.js';

export const VERSION = '0.1.0';

/** The name closest to word by edit distance (adjacent swaps count one), if it is close enough to be a typo of it. */
export function nearest(word: string, names: readonly string[]): string | null {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        const row = d[i] as number[];
        const up = d[i - 1] as number[];
        row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, (d[i - 2] as number[])[j - 2]! + 1);
      }
    }
    return (d[a.length] as number[])[b.length]!;
  };
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of names) {
    const dist = distance(word, name);
    if (dist < bestDistance && dist <= Math.max(1, Math.floor(name.length / 3))) {
      best = name;
      bestDistance = dist;
    }
  }
  return best;
}

const NEEDS_ALL = new Set(['completion', '__complete', 'help']);

/**
 * The program. Given the arguments, it declares only the command they name (the first word that is not an option;
 * shmkit's own options take no values): declaring all sixteen with their options is a few ms of every start-up
 * (issue 6). With no arguments, an unknown word, or a command that reads the whole program, it declares all.
 */
export function buildProgram(onCommand: (name: string) => void, args: readonly string[] | undefined,
  commands: Partial<Record<CommandName, (program: Command) => void>>): Command {
  const program = new Command('shmkit')
    .description('System V shared memory from the command line: create, write, read, stat, change, list and remove segments, ' +
      'look inside them (as C structs, live with watch, saved with dump and restore), inspect the kernel\'s limits, ' +
      'show and remove semaphore sets and message queues too, and run the classic writer/reader pair, in lockstep if you like.')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR=1 does the same)')
    // Help and version go through print (EPIPE: 141; /dev/full: one line, exit 1), not an async stream write whose
    // error event would be a crash with a stack trace.
    .configureOutput({ outputError: () => {}, writeOut: (s) => print(s), writeErr: (s) => writeAll(2, s) })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', () => `
Examples:
  id=$(shmkit create --size 4096)
  shmkit attach-write --id "$id" --data 'hello' --nul
  shmkit read --id "$id"
  shmkit stat --id "$id"
  shmkit rm --id "$id"
  shmkit writer            # terminal 1
  shmkit reader            # terminal 2

${wrap(`Exit status: ${EXIT_STATUS.map((e) => `${e.codes.join('/')} ${e.brief}`).join(', ')}.`, HELP_WIDTH)}
See shmkit(1) and shmkit COMMAND --help.`);
  program.hook('preSubcommand', (_root, sub) => {
    onCommand(sub.name());
  });
  program.hook('preAction', (root) => {
    setNoColor(root.opts().color === false);
  });
  const word = args?.find((a) => !a.startsWith('-'));
  const entries = Object.entries(commands) as [CommandName, (program: Command) => void][];
  const named = word === undefined || NEEDS_ALL.has(word) ? undefined : entries.find(([name]) => (COMMAND_NAMES[name] as readonly string[]).includes(word));
  for (const [, register] of named ? [named] : entries) register(program);
  // Our own help command: commander's prints the whole program help on stderr, exit 0, for a command that does not
  // exist; this one says so (exit 2), and prints a command's help on stdout.
  program.helpCommand(false);
  // An unknown command: suggest the nearest of every name and alias (commander's own suggestion knows one alias each).
  program.on('command:*', (operands: string[]) => {
    const word = operands[0] ?? '';
    const names: string[] = Object.values(COMMAND_NAMES).flat().filter((n) => !n.startsWith('__'));
    names.push('help');
    const near = nearest(word, names);
    throw new InputError(`unknown command '${word}'${near ? ` (did you mean ${near}?)` : ''}`, 'shmkit --help lists the commands');
  });
  program.command('help')
    .summary('display help for a command')
    .description('Print the help of a command, or of shmkit.')
    .argument('[command]', 'a command')
    .addHelpText('after', footer('help', { examples: [['shmkit help list'], ['shmkit help']] }))
    .action((name: string | undefined) => {
      if (name === undefined) {
        program.outputHelp();
        return;
      }
      const c = program.commands.find((x) => x.name() === name || x.aliases().includes(name));
      if (!c || c.name() === '__complete') throw new InputError(`unknown command '${name}'`, 'shmkit --help lists the commands');
      c.outputHelp();
    });
  for (const c of program.commands) c.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}
