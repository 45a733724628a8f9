// The work of `shmkit completion`, loaded only when that command runs.
import type { Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { listSegments } from '../../core/list.js';
import { formatKey } from '../../core/parse.js';
import { print } from '../output.js';

interface Spec {
  name: string;
  summary: string;
  options: Option[];
}

function specs(program: Command): Spec[] {
  return program.commands
    .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden && c.name() !== 'help')
    .map((c) => ({ name: c.name(), summary: c.summary() || c.description(), options: c.options as Option[] }));
}

const takesValue = (o: Option) => o.required || o.optional;

/** Values an option takes from a fixed set, read from its description ("text, raw or hex"). */
function choices(o: Option): string[] {
  if (o.long !== '--format') return [];
  const m = /^([a-z]+(?:, [a-z]+)*) or ([a-z]+)/.exec(o.description);
  return m ? [...m[1]!.split(', '), m[2]!] : [];
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(program: Command): string {
  const cmds = specs(program);
  const cases = cmds.map((c) => {
    const words = c.options.flatMap((o) => [o.long, o.short].filter(Boolean)).concat('--help').join(' ');
    const formats = c.options.flatMap(choices);
    return `    ${c.name})\n      opts=${sq(words)}\n      formats=${sq(formats.join(' '))}\n      ;;`;
  }).join('\n');
  return `# shmkit completion for bash. Load it with: source <(shmkit completion bash)
_shmkit() {
  local cur prev cmd opts formats i
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
  case "$prev" in
    -i|--id) COMPREPLY=( $(compgen -W "$(shmkit __complete ids 2>/dev/null)" -- "$cur") ); return 0 ;;
    -k|--key) COMPREPLY=( $(compgen -W "$(shmkit __complete keys 2>/dev/null)" -- "$cur") ); return 0 ;;
    -F|--format) COMPREPLY=( $(compgen -W "$formats" -- "$cur") ); return 0 ;;
    -f|--file|--ftok) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
    -s|--size|-m|--mode|-d|--data|--fill|-o|--offset|-l|--length|-n|--count|--interval) return 0 ;;
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
      if (o.long) parts.push(`-l ${o.long.replace(/^--/, '')}`);
      if (o.short) parts.push(`-s ${o.short.replace(/^-/, '')}`);
      if (takesValue(o)) {
        parts.push('-r');
        if (o.long === '--id') parts.push(`-a '(shmkit __complete ids)'`);
        else if (o.long === '--key') parts.push(`-a '(shmkit __complete keys)'`);
        else if (choices(o).length) parts.push(`-a ${sq(choices(o).join(' '))}`);
        else if (o.long === '--file' || o.long === '--ftok') parts.push('-F');
      }
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

/** The live values the scripts ask for: segment ids, or keys (not the zero key). */
export function printValues(what: string): void {
  const segments = listSegments();
  if (what === 'ids') print(segments.map((s) => `${s.id}\n`).join(''));
  else if (what === 'keys') print(segments.filter((s) => s.key !== 0).map((s) => `${formatKey(s.key)}\n`).join(''));
  else throw new InputError(`unknown completion '${what}'`);
}
