import type { Command } from 'commander';
import { declareOptions, FTOK, ID, KEY, json, NAMESPACE, type OptionSpec } from '../spec.js';
import { footer, type CommandHelp } from '../help.js';
import type { Opts } from './set.run.js';

const HELP: CommandHelp = {
  examples: [
    ['shmkit set 5 --mode 600', 'owner read and write only'],
    ['shmkit chmod 640 5', 'as chmod takes them: MODE, then the id'],
    ['shmkit set --key 0x1234 --owner www-data:www-data'],
    ['shmkit chown 1000:1000 5'],
    ['shmkit set 5 --group video --json', 'the segment after the change'],
  ],
};

const OPTIONS: OptionSpec[] = [
  ID,
  KEY,
  FTOK,
  { flags: '-m, --mode <OCTAL>', description: 'the nine permission bits, in octal (600, 0644); nothing else' },
  { flags: '-o, --owner <USER[:GROUP]>', description: 'the owner (a name or a uid), and with :GROUP the group too; USER: is the user\'s own group, as chown takes it' },
  { flags: '-g, --group <GROUP>', description: 'the group (a name or a gid)' },
  json('print the segment after the change, as stat --json does'),
  NAMESPACE,
];

export function register(program: Command): void {
  declareOptions(program.command('set')
    .aliases(['chmod', 'chown'])
    .summary('change a segment\'s owner, group or mode (IPC_SET)')
    .description('Change the owner, the group and the permission bits of a segment with shmctl(IPC_SET). The current ' +
      'values are read first, so what is not named stays. Only the segment\'s owner, its creator or root ' +
      '(CAP_SYS_ADMIN) may change it; the kernel sets its ctime. As chmod: shmkit chmod MODE ID; as chown: ' +
      'shmkit chown USER[:GROUP] ID.')
    .argument('[ARGS...]', 'the id; after chmod, MODE then the id; after chown, USER[:GROUP] then the id'), OPTIONS)
    .addHelpText('after', footer('set', HELP))
    .action(async (args: string[], opts: Opts, cmd: Command) => (await import('./set.run.js')).run(opts, args, cmd.parent?.args[0] ?? 'set'));
}
