// The end of each command's --help: its examples (and exit status where it has its own), kept as data so that the
// man pages are made from the same text (scripts/man.js).
export interface CommandHelp {
  /** [command line, what it does (optional)] */
  examples: Array<[string, string?]>;
  /** Exit status, where the command has codes of its own. */
  exit?: string;
}

const registry = new Map<string, CommandHelp>();

export function footer(command: string, help: CommandHelp): string {
  registry.set(command, help);
  const width = Math.max(...help.examples.map(([c]) => c.length));
  const lines = help.examples.map(([c, note]) => (note ? `  ${c.padEnd(width)}  # ${note}` : `  ${c}`));
  return `\nExamples:\n${lines.join('\n')}${help.exit ? `\n\nExit status: ${help.exit}` : ''}`;
}

export function helpOf(command: string): CommandHelp | undefined {
  return registry.get(command);
}
