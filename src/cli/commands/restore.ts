import type { Command } from 'commander';
import { declareOptions, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './restore.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit restore seg.dump', 'under the dump\'s own key; prints the id'],
    ['gunzip < seg.dump.gz | shmkit restore -', 'from stdin'],
    ['shmkit restore seg.dump --private', 'a copy with no key'],
    ['shmkit restore seg.dump --force', 'write over the segment that has the key (same size only)'],
  ],
};

const OPTIONS: OptionSpec[] = [
  { flags: '-k, --key <KEY>', description: 'make it under this key instead of the dump\'s', conflicts: { with: ['private'] } },
  { flags: '--private', description: 'make it with no key (IPC_PRIVATE)' },
  { flags: '-f, --force', description: 'where the key has a segment already, write over its bytes (only one of the same size; only once the whole dump is read and checked)' },
  { flags: '-J, --json', description: 'print {id, key, keyHex, size, created, changed} instead of the id' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('restore')
    .summary('make a segment again from a shmkit dump')
    .description('Read a dump made by shmkit dump (FILE, or - for stdin) and make the segment again: the same key, ' +
      'size and mode (on huge pages where it was), and the same bytes; the owner is whoever restores it. The magic ' +
      'line, the header, the length, the trailer and the SHA-256 of the bytes are all checked, and a dump that fails ' +
      'any of them (truncated, not a dump, another size) is refused with nothing changed: the segment being made is ' +
      'removed again. A key that already has a segment is refused unless --force, and then only a segment of the ' +
      'same size, whose bytes are replaced from a checked private copy.')
    .argument('<FILE>', 'the dump, or - for stdin'), OPTIONS)
    .addHelpText('after', footer('restore', HELP))
    .action(async (file: string, opts: Opts) => (await import('./restore.run.js')).run(file, opts));
}
