// Options, declared once as data (as npm-check-updates' cli-options.ts declares its own): each command's table of
// OptionSpec makes its commander options (and so its --help and its man page's OPTIONS), the checks every command
// gets before it runs (choices, conflicts, what an option goes with), and the shells' completion of its values.
// The options several commands share are declared here once.
import { type Command, Option } from 'commander';
import { InputError } from '../core/errors.js';

/** What a shell completes for an option's value. */
export type ValueKind = 'id' | 'key' | 'file' | 'choice' | 'other';

export interface OptionSpec {
  /** commander's flags: '-F, --format <FORMAT>'; a value in <> or [] makes it take one. */
  flags: string;
  description: string;
  /** The default, as the command line would give it; shown in the help. */
  default?: string;
  /** The only values it takes: anything else is refused, and the shells offer these. */
  choices?: readonly string[];
  /** What the shells complete for the value: live segment ids or keys, file names; nothing otherwise. */
  complete?: 'id' | 'key' | 'file';
  /** How each use of it is taken, where not as the value given (rm collects its --id and --key in one list). */
  parse?: (value: string, previous: unknown) => unknown;
  /** Options (attribute names) it cannot be used with, and the words for it where they are not the usual ones. */
  conflicts?: { with: readonly string[]; words?: string };
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
    if (spec.default !== undefined) o.default(spec.default);
    cmd.addOption(o);
  }
  cmd.hook('preAction', (_root, action) => {
    const given = (name: string) => {
      const source = action.getOptionValueSource(name);
      return source !== undefined && source !== 'default' && action.getOptionValue(name) !== false;
    };
    checkOptions(specs, action.opts(), given);
  });
  return cmd;
}

/** The checks of a table over the values given (given(name): the user set it). Throws InputError. */
export function checkOptions(specs: readonly OptionSpec[], opts: Values, given: (name: string) => boolean): void {
  const byName = new Map(specs.map((s) => [attributeOf(s), s]));
  for (const spec of specs) {
    const name = attributeOf(spec);
    if (!given(name)) continue;
    const value = opts[name];
    if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) {
      throw new InputError(`unknown ${name} '${value}'`, `use one of: ${spec.choices.join(', ')}`);
    }
  }
  for (const spec of specs) {
    const name = attributeOf(spec);
    if (!given(name) || !spec.conflicts) continue;
    const other = spec.conflicts.with.find((n) => given(n));
    if (other !== undefined) {
      const otherSpec = byName.get(other);
      throw new InputError(spec.conflicts.words ?? `${flagOf(spec)} and ${otherSpec ? flagOf(otherSpec) : other} cannot be used together`);
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

export const ID: OptionSpec = { flags: '-i, --id <ID>', description: 'the segment id', complete: 'id', conflicts: { with: ['key'], words: 'give --id or --key, not both' } };
export const KEY: OptionSpec = { flags: '-k, --key <KEY>', description: 'the segment key', complete: 'key' };

/** --json beside a --format that has a json choice: one or the other. */
export function json(description: string): OptionSpec {
  return { flags: '--json', description, conflicts: { with: ['format'] } };
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
  return { flags: '-k, --key <KEY>', description: 'the key', default: dflt, complete: 'key' };
}

export const INTERVAL_HINT = '3s, 150ms, 0 (a plain number is milliseconds)';
