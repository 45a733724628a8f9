import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';
import { InputError } from '../../core/errors.js';
import { formatKey, parseFtok, parseKey, parseMode, parseSize } from '../../core/parse.js';
import { createSegment, ftokKey } from '../../core/segment.js';
import { toJson } from '../format/json.js';
import { atMostOne } from '../options.js';
import { notice, print } from '../output.js';

interface Opts { size?: string; key?: string; private?: boolean; ftok?: string; mode: string; exclusive?: boolean; json?: boolean }

const HELP: CommandHelp = {
  examples: [
    ['shmkit create --size 4096', 'random key, mode 0644: prints the id'],
    ['id=$(shmkit create --size 1.5M --private)', 'IPC_PRIVATE'],
    ['shmkit create --key 0x1234 --size 1032 --exclusive'],
    ['shmkit create --ftok /etc/hostname:7 --size 64K --mode 600 --json'],
  ],
};

export function register(program: Command): void {
  program.command('create')
    .summary('create a segment (shmget) and print its id')
    .description('Create a System V shared memory segment with shmget(IPC_CREAT) and print its id alone on stdout, so that id=$(shmkit create --size 4096) works.')
    .option('-s, --size <SIZE>', 'size in bytes; K M G T (1024), KiB MiB (1024), KB MB (1000), fractions such as 1.5M')
    .option('-k, --key <KEY>', 'key: 0x-hex, leading-0 octal or decimal (default: a random unused key)')
    .option('--private', 'IPC_PRIVATE: a segment with no key, reachable by its id only')
    .option('--ftok <PATH[:PROJ]>', 'the key ftok(PATH, PROJ) makes (PROJ 1-255 or one character, default 1)')
    .option('-m, --mode <OCTAL>', 'permission bits', '644')
    .option('-x, --exclusive', 'fail (EEXIST) if the key already has a segment, instead of opening it')
    .option('--json', 'print {id, key, keyHex, size, mode, created} instead of the id')
    .addHelpText('after', footer('create', HELP))
    .action((opts: Opts) => run(opts));
}

function run(opts: Opts): void {
  if (opts.size === undefined) throw new InputError('--size is required', 'for example: shmkit create --size 4096');
  atMostOne(opts, ['key', 'private', 'ftok']);
  const size = parseSize(opts.size);
  const mode = parseMode(opts.mode);
  if (opts.private && opts.exclusive) throw new InputError('--exclusive has no meaning with --private: every private segment is new');
  let key: number | 'private' | undefined;
  if (opts.private) key = 'private';
  else if (opts.key !== undefined) {
    key = parseKey(opts.key);
    if (key === 0) throw new InputError('key 0 is IPC_PRIVATE', 'use --private for a segment without a key');
  } else if (opts.ftok !== undefined) {
    const { path, proj } = parseFtok(opts.ftok);
    key = ftokKey(path, proj);
  }
  const r = createSegment({ ...(key === undefined ? {} : { key }), size, mode, exclusive: opts.exclusive ?? false });
  if (!r.created) {
    notice('create', `key ${formatKey(r.key)} already had segment ${r.id} (${r.size} bytes, mode ${r.mode.toString(8).padStart(4, '0')}): opened it (--exclusive fails instead)`);
  }
  if (opts.json) {
    print(toJson({ id: r.id, key: r.key, keyHex: formatKey(r.key), size: r.size, mode: r.mode, created: r.created }) + '\n');
  } else {
    print(`${r.id}\n`);
  }
}
