import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, KEY, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './dump.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit dump --key 0x1234 -o seg.dump'],
    ['shmkit dump 5 | gzip > seg.dump.gz', 'a stream: pipes, ssh and gzip work'],
    ['head -2 seg.dump', 'the magic line and the metadata, as JSON'],
    ['shmkit restore seg.dump', 'the same key, size, mode and bytes again'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '-o, --output <FILE>', description: 'write the dump to FILE (made whole, or not at all: written beside it, then renamed) instead of stdout', complete: 'file' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('dump')
    .summary('save a segment\'s metadata and bytes to a file, for shmkit restore')
    .description('Write a segment to one stream: a magic line (SHMKIT-DUMP 1), its metadata as one line of JSON (key, ' +
      'size, mode, owner, creator, pids, times, huge pages), its bytes as they are, and a trailer line with their ' +
      'count and SHA-256 and whether the segment changed while it was read (its ctime, nattch or last pid moved, or ' +
      'a sample of 64 of its pages differs from before: the bytes are then of no single moment, and dump says so on ' +
      'stderr). One stream rather than a pair of files (a header and a tar of bytes), so that it can go through a ' +
      'pipe, gzip or ssh and be read back without seeking; the trailer comes after the bytes because the digest is ' +
      'known only then. The segment is attached read-only while it is read, a MiB at a time, whatever its size.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('dump', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./dump.run.js')).run(opts, id));
}
