// The end of each command's --help: its examples (and exit status where it has its own), kept as data so that the
// man pages are made from the same text (scripts/man.js). Everything here fits 80 columns.
export interface CommandHelp {
  /** [command line, what it does (optional)] */
  examples: Array<[string, string?]>;
  /** Exit status, where the command has codes of its own. */
  exit?: string;
}

/** The width --help is written for (a terminal's default, and what a pipe gets). */
export const HELP_WIDTH = 80;

/**
 * Said under every example list with a jq command in it: jq before 1.7 (Debian 12 has 1.6) reads numbers as doubles,
 * so shmmax's 18446744073692774399 comes out as 18446744073692774000, and a script comparing it answers wrong.
 */
export const JQ_CAVEAT = 'jq before 1.7 rounds integers above 2^53 (shmmax, shmall): use jq 1.7 or later, or a parser that keeps big integers.';

/** Whether a help's examples use jq, and so need JQ_CAVEAT beside them. */
export const usesJq = (help: CommandHelp) => help.examples.some(([c]) => /(^|\|\s*)jq\b/.test(c));

const registry = new Map<string, CommandHelp>();

/** Text wrapped at width columns, between words; later lines begin with indent. */
export function wrap(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** The examples, each note beside its command where it fits and wrapped under the same column where not. */
function exampleLines(examples: CommandHelp['examples']): string[] {
  // The column of the notes: after the longest command that has one (a command without a note may be longer).
  const width = Math.max(0, ...examples.filter(([, note]) => note).map(([c]) => c.length));
  const column = 2 + width + 2;
  return examples.flatMap(([c, note]) => {
    if (!note) return [`  ${c}`];
    // A note that has less than 24 columns beside the commands goes above its command instead.
    if (HELP_WIDTH - column - 2 < 24) return [...wrap(`# ${note}`, HELP_WIDTH - 2, '# ').split('\n').map((t) => `  ${t}`), `  ${c}`];
    const text = wrap(`# ${note}`, HELP_WIDTH - column, '# ').split('\n');
    return text.map((t, i) => `${i === 0 ? `  ${c}`.padEnd(column) : ' '.repeat(column)}${t}`);
  });
}

/**
 * A command's help footer (examples, the jq caveat, exit status), registered now for the man pages and written only
 * when help is shown: wrapping it is work every start-up would do for nothing (commander takes a function).
 */
export function footer(command: string, help: CommandHelp): () => string {
  registry.set(command, help);
  return () => footerText(help);
}

function footerText(help: CommandHelp): string {
  const jq = usesJq(help) ? `\n\n${wrap(`Note: ${JQ_CAVEAT}`, HELP_WIDTH)}` : '';
  const exit = help.exit ? `\n\n${wrap(`Exit status: ${help.exit}`, HELP_WIDTH)}` : '';
  return `\nExamples:\n${exampleLines(help.examples).join('\n')}${jq}${exit}`;
}

export function helpOf(command: string): CommandHelp | undefined {
  return registry.get(command);
}
