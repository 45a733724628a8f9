// Options, declared once as data (as npm-check-updates' cli-options.ts declares its own): each command's table of
// OptionSpec makes its commander options (and so its --help and its man page's OPTIONS), the checks every command
// gets before it runs (choices, conflicts, what an option goes with), and the shells' completion of its values.
// The options several commands share are declared here once.
import { type Command, Option } from 'commander';
import { InputError } from '../core/errors.js';
import { enterIpcNamespace, parseNamespaceRef } from '../core/namespace-visit.js';
import { shorten } from '../core/parse.js';

/** What a shell completes for an option's value. */
export type ValueKind = 'id' | 'key' | 'file' | 'namespace' | 'choice' | 'other';

export interface OptionSpec {
  /** commander's flags: '-F, --format <FORMAT>'; a value in <> or [] makes it take one. */
  flags: string;
  description: string;
  /** The default, as the command line would give it; shown in the help. */
  default?: string;
  /** The only values it takes: anything else is refused, and the shells offer these. */
  choices?: readonly string[];
  /** The words for a value not among the choices, where "unknown NAME 'VALUE'; use one of: ..." does not fit. */
  otherChoice?: (value: string) => string;
  /** What the shells complete for the value: live segment ids or keys, file names, IPC namespaces; nothing otherwise. */
  complete?: 'id' | 'key' | 'file' | 'namespace';
  /** How each use of it is taken, where not as the value given (rm collects its --id and --key in one list). */
  parse?: (value: string, previous: unknown) => unknown;
  /** Options (attribute names) it cannot be used with, and the words for it where they are not the usual ones. */
  conflicts?: { with: readonly string[]; words?: string | ((other: string) => string) };
  /** Another spelling of an option (util-linux's: ipcmk -M for --size): its value goes to that option's attribute. */
  aliasOf?: string;
  /** Not an option of this command, but one a user of another tool types here: refused, with these words. */
  refuse?: string;
  /** How the synopsis shows it: required, or one of the ways to name the segment (ID, --id, --key, --ftok). */
  synopsis?: 'required' | 'target';
  /** Where it only applies: the condition on the command's options, and what it goes with, in words. */
  goesWith?: { when: (opts: Values) => boolean; words: string };
}

export type Values = Record<string, unknown>;

/** The long flag ('--older-than') of a spec, or its short one. */
export function flagOf(spec: OptionSpec): string {
  return /--[\w-]+/.exec(spec.flags)?.[0] ?? /-\w/.exec(spec.flags)?.[0] ?? spec.flags;
}

/** The attribute commander stores it under: --older-than -> olderThan. */
export function attributeOf(spec: OptionSpec): string {
  return flagOf(spec).replace(/^-+/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function takesValue(spec: OptionSpec): boolean {
  return /[<[]/.test(spec.flags);
}

export function valueKind(spec: OptionSpec): ValueKind | null {
  if (!takesValue(spec)) return null;
  return spec.choices ? 'choice' : spec.complete ?? 'other';
}

const tables = new Map<string, readonly OptionSpec[]>();

/** The option table of a command, as declareOptions registered it. */
export function optionsOf(command: string): readonly OptionSpec[] {
  return tables.get(command) ?? [];
}

/**
 * Adds a command's options to it from their table, and the checks of the table before its action runs. Only what
 * the user gave is checked (a default conflicts with nothing).
 */
export function declareOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  tables.set(cmd.name(), specs);
  for (const spec of specs) {
    const o = new Option(spec.flags, spec.description);
    if (spec.parse) o.argParser(spec.parse);
    else if (takesValue(spec)) o.argParser(once(spec));
    if (spec.default !== undefined) o.default(spec.default);
    if (spec.refuse) o.hideHelp();
    cmd.addOption(o);
  }
  const usage = synopsisOf(cmd, specs, (text) => text);
  if (usage) cmd.usage(usage);
  cmd.hook('preAction', (_root, action) => {
    const given = (name: string) => {
      const source = action.getOptionValueSource(name);
      return source !== undefined && source !== 'default' && action.getOptionValue(name) !== false;
    };
    checkOptions(specs, action.opts(), given);
    // The other spellings, now that they are known not to clash: their values go where the run module reads them.
    for (const spec of specs) {
      const name = attributeOf(spec);
      if (spec.aliasOf && given(name)) action.setOptionValueWithSource(spec.aliasOf, action.getOptionValue(name), 'cli');
    }
    // --namespace: the whole run is in that IPC namespace, from before the command's first call.
    if (specs.includes(NAMESPACE) && given('namespace')) enterIpcNamespace(parseNamespaceRef(String(action.getOptionValue('namespace'))));
  });
  return cmd;
}

/** An option that takes one value refuses a second (stat --id 1 --id 2 would otherwise be 2, silently). */
function once(spec: OptionSpec): (value: string) => string {
  let first: string | undefined;
  return (value) => {
    if (first !== undefined) throw new InputError(`${flagOf(spec)} is given twice ('${shorten(first)}' and '${shorten(value)}'): give it once`);
    first = value;
    return value;
  };
}

export { shorten };

/**
 * The usage line of a command whose table has required options or ways to name a segment, in the words wrap gives
 * its flags and values ('create --size SIZE [options]', '(ID | --id ID | --key KEY | --ftok PATH) [options]').
 * Empty where commander's own ('[options]') says it all.
 */
export function synopsisOf(cmd: Command, specs: readonly OptionSpec[], word: (text: string, kind: 'flag' | 'value') => string): string {
  const value = (s: OptionSpec) => /<([^>]+)>/.exec(s.flags)?.[1] ?? '';
  const parts: string[] = [];
  for (const s of specs.filter((x) => x.synopsis === 'required')) parts.push(`${word(flagOf(s), 'flag')} ${word(value(s), 'value')}`);
  const target = specs.filter((x) => x.synopsis === 'target');
  if (target.length) {
    const args = (cmd as unknown as { registeredArguments: Array<{ name(): string; variadic: boolean }> }).registeredArguments;
    const positional = args.map((a) => word(a.name() + (a.variadic ? '...' : ''), 'value'));
    parts.push(`(${[...positional, ...target.map((s) => `${word(flagOf(s), 'flag')} ${word(value(s).replace(/\[[^\]]*\]$/, ''), 'value')}`)].join(' | ')})`);
  }
  return parts.length ? `${parts.join(' ')} [options]` : '';
}

/** The checks of a table over the values given (given(name): the user set it). Throws InputError. */
export function checkOptions(specs: readonly OptionSpec[], opts: Values, given: (name: string) => boolean): void {
  const byName = new Map(specs.map((s) => [attributeOf(s), s]));
  for (const spec of specs) {
    const name = attributeOf(spec);
    if (!given(name)) continue;
    if (spec.refuse) throw new InputError(`${flagOf(spec)} is not an option here: ${spec.refuse}`);
    const value = opts[name];
    if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) {
      if (spec.otherChoice) throw new InputError(spec.otherChoice(shorten(value)));
      throw new InputError(`unknown ${name} '${shorten(value)}'`, `use one of: ${spec.choices.join(', ')}`);
    }
  }
  for (const spec of specs) {
    const name = attributeOf(spec);
    if (!given(name) || !spec.conflicts) continue;
    const other = spec.conflicts.with.find((n) => given(n));
    if (other !== undefined) {
      const otherSpec = byName.get(other);
      const otherFlag = otherSpec ? flagOf(otherSpec) : other;
      const words = spec.conflicts.words;
      throw new InputError(typeof words === 'function' ? words(otherFlag) : words ?? `${flagOf(spec)} and ${otherFlag} cannot be used together`);
    }
  }
  for (const spec of specs) {
    if (spec.goesWith && given(attributeOf(spec)) && !spec.goesWith.when(opts)) throw new InputError(`${flagOf(spec)} goes with ${spec.goesWith.words}`);
  }
}

/** The choices of an option's value, as the command's run module takes them. */
export function choice<T extends string>(value: unknown, fallback: T): T {
  return (typeof value === 'string' ? value : fallback) as T;
}

// ---- options several commands share ----

export const ID: OptionSpec = {
  flags: '-i, --id <ID>', description: 'the segment id', complete: 'id', synopsis: 'target',
  conflicts: { with: ['key', 'ftok'], words: (other) => `give --id or ${other}, not both` },
};
export const KEY: OptionSpec = {
  flags: '-k, --key <KEY>', description: 'the segment key', complete: 'key', synopsis: 'target',
  conflicts: { with: ['ftok'], words: 'give --key or --ftok, not both' },
};
export const FTOK: OptionSpec = {
  flags: '--ftok <PATH[:PROJ]>', description: 'the segment whose key ftok(PATH, PROJ) makes (PROJ 1-255 or one character, default 1)',
  complete: 'file', synopsis: 'target',
};

/** The positional way to name a segment, as ipcrm takes ids: stat 5. */
export const ID_ARGUMENT = ['[ID]', 'the segment id (as --id takes it)'] as const;

/** --json (and lsipc's -J) beside a --format that has a json choice: one or the other. */
export function json(description: string): OptionSpec {
  return { flags: '-J, --json', description, conflicts: { with: ['format'] } };
}

export function format(choices: readonly string[], description: string, dflt: string): OptionSpec {
  return { flags: '-F, --format <FORMAT>', description, choices, default: dflt };
}

/** Where the --format ipcs options apply: that format, given either way. */
export const ipcsFormat = (o: Values) => o.format === 'ipcs';

export function orphans(description: string): OptionSpec {
  return { flags: '--orphans', description };
}

export const OLDER_THAN: OptionSpec = {
  flags: '--older-than <AGE>',
  description: 'with --orphans: only those nobody has touched (created, changed, attached, detached) for AGE: 90s, 10m, 2h, 7d',
  goesWith: { when: (o) => o.orphans === true, words: '--orphans' },
};

/** The key of a writer, reader or demo session, with the seed's key as its default. */
export function sessionKeyOption(dflt: string): OptionSpec {
  return { flags: '-k, --key <KEY>', description: 'the key', default: dflt, complete: 'key', conflicts: { with: ['ftok'], words: 'give --key or --ftok, not both' } };
}

/** A session's key made by ftok(3), for two processes that share a path. */
export const SESSION_FTOK: OptionSpec = {
  flags: '--ftok <PATH[:PROJ]>', description: 'the key ftok(PATH, PROJ) makes, instead of --key (PROJ 1-255 or one character, default 1)',
  complete: 'file',
};

export const INTERVAL_HINT = '3s, 150ms, 0 (a plain number is milliseconds)';

/** --namespace, on every command that works on IPC objects: it runs in that IPC namespace (setns(2) at its start). */
export const NAMESPACE: OptionSpec = {
  flags: '--namespace <NS>',
  description: 'work in another IPC namespace (a container\'s): NS is a pid in it, its inode (as lsns -t ipc shows it), or its file ' +
    '(/proc/PID/ns/ipc, or a bind mount of one); needs CAP_SYS_ADMIN',
  complete: 'namespace',
  conflicts: { with: ['allNamespaces'], words: 'give --namespace or --all-namespaces, not both' },
};

export function allNamespaces(description: string): OptionSpec {
  return { flags: '-A, --all-namespaces', description };
}
