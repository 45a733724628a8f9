// The work of `shmkit completion`, loaded only when that command runs. The scripts are made from the commands'
// option tables (cli/spec.ts): which options take a value, and what to offer for it (live ids or keys, files, the
// choices, nothing). bash's is the reference; zsh runs the same function through bashcompinit; fish has its own lines.
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { listSegments } from '../../core/list.js';
import { findIpcNamespaces } from '../../core/namespaces.js';
import { formatKey } from '../../core/parse.js';
import { print } from '../output.js';
import { type OptionSpec, optionsOf, takesValue, valueKind } from '../spec.js';

interface Spec {
  name: string;
  summary: string;
  options: readonly OptionSpec[];
}

function specs(program: Command): Spec[] {
  return program.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden && c.name() !== 'help')
    .map((c) => ({ name: c.name(), summary: c.summary() || c.description(), options: optionsOf(c.name()).filter((o) => !o.refuse) }));
}

/** The short and long flags of a spec: ['-F', '--format']. */
const flags = (o: OptionSpec) => o.flags.split(/[ ,]+/).filter((w) => w.startsWith('-'));

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bash that completes the value of option o, where the word before the cursor is o. */
function bashValue(o: OptionSpec): string {
  switch (valueKind(o)) {
    case 'choice': return `COMPREPLY=( $(compgen -W ${sq((o.choices ?? []).join(' '))} -- "$cur") ); return 0`;
    case 'id': return 'COMPREPLY=( $(compgen -W "$(shmkit __complete ids 2>/dev/null)" -- "$cur") ); return 0';
    case 'key': return 'COMPREPLY=( $(compgen -W "$(shmkit __complete keys 2>/dev/null)" -- "$cur") ); return 0';
    case 'namespace': return 'COMPREPLY=( $(compgen -W "$(shmkit __complete namespaces 2>/dev/null)" -- "$cur") ); return 0';
    case 'file': return 'COMPREPLY=( $(compgen -f -- "$cur") ); return 0';
    default: return 'return 0';
  }
}

function bash(program: Command): string {
  const cmds = specs(program);
  const cases = cmds.map((c) => {
    const words = c.options.flatMap(flags).concat('--help').join(' ');
    const values = c.options.filter(takesValue).map((o) => `        ${flags(o).join('|')}) ${bashValue(o)} ;;`);
    const prev = values.length ? `\n      case "$prev" in\n${values.join('\n')}\n      esac` : '';
    return `    ${c.name})\n      opts=${sq(words)}${prev}\n      ;;`;
  }).join('\n');
  return `# shmkit completion for bash. Load it with: source <(shmkit completion bash)
_shmkit() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$cmd" in
${cases}
    "")
      COMPREPLY=( $(compgen -W ${sq(cmds.map((c) => c.name).join(' ') + ' --help --version --no-color')} -- "$cur") )
      return 0
      ;;
    *) return 0 ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -F _shmkit shmkit
`;
}

function zsh(program: Command): string {
  return `#compdef shmkit
# shmkit completion for zsh: put it in a directory of your $fpath as _shmkit, or source it.
autoload -U +X bashcompinit && bashcompinit
${bash(program).split('\n').slice(1).join('\n')}`;
}

function fish(program: Command): string {
  const cmds = specs(program);
  const lines = ['# shmkit completion for fish: save as ~/.config/fish/completions/shmkit.fish', 'complete -c shmkit -f'];
  for (const c of cmds) lines.push(`complete -c shmkit -n __fish_use_subcommand -a ${c.name} -d ${sq(c.summary)}`);
  for (const c of cmds) {
    for (const o of c.options) {
      const parts = [`complete -c shmkit -n ${sq(`__fish_seen_subcommand_from ${c.name}`)}`];
      const [long, short] = [flags(o).find((f) => f.startsWith('--')), flags(o).find((f) => !f.startsWith('--'))];
      if (long) parts.push(`-l ${long.slice(2)}`);
      if (short) parts.push(`-s ${short.slice(1)}`);
      const kind = valueKind(o);
      if (kind !== null) parts.push('-r');
      if (kind === 'id') parts.push(`-a '(shmkit __complete ids)'`);
      else if (kind === 'key') parts.push(`-a '(shmkit __complete keys)'`);
      else if (kind === 'namespace') parts.push(`-a '(shmkit __complete namespaces)'`);
      else if (kind === 'choice') parts.push(`-a ${sq((o.choices ?? []).join(' '))}`);
      else if (kind === 'file') parts.push('-F');
      parts.push(`-d ${sq(o.description)}`);
      lines.push(parts.join(' '));
    }
  }
  return lines.join('\n') + '\n';
}

export function printScript(program: Command, shell: string): void {
  const script = shell === 'bash' ? bash(program) : shell === 'zsh' ? zsh(program) : shell === 'fish' ? fish(program) : null;
  if (script === null) throw new InputError(`unknown shell '${shell}'`, 'use bash, zsh or fish');
  print(script);
}

/** The live values the scripts ask for: segment ids, keys (not the zero key), or the IPC namespaces' inodes. */
export function printValues(what: string): void {
  if (what === 'namespaces') {
    print(findIpcNamespaces().namespaces.map((n) => `${n.inode}\n`).join(''));
    return;
  }
  const segments = listSegments();
  if (what === 'ids') print(segments.map((s) => `${s.id}\n`).join(''));
  else if (what === 'keys') print(segments.filter((s) => s.key !== 0).map((s) => `${formatKey(s.key)}\n`).join(''));
  else throw new InputError(`unknown completion '${what}'`);
}
