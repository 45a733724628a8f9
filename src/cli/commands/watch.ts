import type { Command } from 'commander';
import { declareOptions, FTOK, ID, ID_ARGUMENT, INTERVAL_HINT, KEY, NAMESPACE, type OptionSpec } from '../spec.js';
import { exitSentence } from '../errors.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './watch.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit watch --key 0x1234 --layout shmseg', 'the seed\'s struct, redrawn as the writer fills it'],
    ['shmkit watch 5 --json | jq -c .changes', 'one line per change, elsewhere than a terminal'],
    ['shmkit watch 5 --count 1 > /dev/null', 'wait for the segment\'s next change'],
    ['shmkit watch', 'every segment: appearing, going, attached and detached'],
  ],
  exit: exitSentence({ 0: 'the segment was removed, or --count changes were seen', 1: 'failed', 2: 'bad input', 130: 'interrupted', 141: 'stdout closed' }),
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '--interval <DURATION>', description: `between samples: ${INTERVAL_HINT}`, default: '1s' },
  { flags: '-L, --layout <SPEC>', description: 'show and compare the segment as this C struct (as read --layout takes it): the changes are then its members' },
  { flags: '-o, --offset <N>', description: 'with --layout: where the struct starts', default: '0' },
  { flags: '-n, --count <N>', description: 'stop after N changes (samples that changed something)' },
  { flags: '-J, --json', description: 'one JSON object per change: {time, changes: [{member, old, new} or {offset, length, old, new}]}' },
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('watch')
    .summary('watch a segment (or every segment) change, live')
    .description('Sample a segment every interval and show what changed: on a terminal it is redrawn in place, the ' +
      'changed bytes or members highlighted under a header with its nattch, last pid and times; elsewhere (a pipe, a ' +
      'file) each sample that changed something is one line (--json: one JSON object). Each sample attaches the ' +
      'segment read-only, copies it and detaches, so the watch never holds it between samples (and each sample sets ' +
      'its attach and detach times and lpid, as any shmat does). It ends, exit 0, when the segment is removed. With ' +
      'no segment named, it watches the list of segments instead: those that appear, go, or change nattch, key, mode, ' +
      'owner or status.')
    .argument(...ID_ARGUMENT), OPTIONS)
    .addHelpText('after', footer('watch', HELP))
    .action(async (id: string | undefined, opts: Opts) => (await import('./watch.run.js')).run(opts, id));
}
