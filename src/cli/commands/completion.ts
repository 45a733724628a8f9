import type { Command } from 'commander';
import { footer, type CommandHelp } from '../help.js';

const HELP: CommandHelp = {
  examples: [
    ['source <(shmkit completion bash)', 'in ~/.bashrc'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's own ${fpath[1]}, for the user to type
    ['shmkit completion zsh > "${fpath[1]}/_shmkit"'],
    ['shmkit completion fish > ~/.config/fish/completions/shmkit.fish'],
  ],
};

export function register(program: Command): void {
  program.command('completion')
    .summary('print a shell completion script (bash, zsh or fish)')
    .description('Print a completion script for bash, zsh or fish: commands, options, formats, and for --id and --key the segments that exist when you press Tab.')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', footer('completion', HELP))
    .action(async (shell: string) => (await import('./completion.run.js')).printScript(program, shell));
  // What the scripts call for the live values; not listed in --help.
  program.command('__complete', { hidden: true })
    .argument('<what>', 'ids, keys or namespaces')
    .action(async (what: string) => (await import('./completion.run.js')).printValues(what));
}
