// Man pages in plain roff (man macros), made from the commander program and each command's help data, so that
// --help and the pages say the same. scripts/man.js writes them to man/; a test checks they are up to date.
import type { Command, Option } from 'commander';
import { EXIT_STATUS } from './errors.js';
import { SEGMENT_FIELDS } from './format/fields.js';
import { QUEUE_FIELDS, SEM_SET_FIELDS } from './format/kind-fields.js';
import { flagOf, optionsOf, synopsisOf } from './spec.js';
import { JQ_CAVEAT, helpOf, usesJq } from './help.js';

const DATE = '2026-11-26';

/** Escapes text for a roff text line. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    // Past ASCII, groff's own escape for the character (\[u2020] is the dagger): its input is not UTF-8.
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? '\\&' + l : l))
    .join('\n');
}

function visible(program: Command): Command[] {
  return program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden && c.name() !== 'help');
}

function synopsis(c: Command): string {
  const specs = optionsOf(c.name());
  // Required options and the ways to name a segment come first, as the usage line shows them; the rest in brackets.
  const lead = synopsisOf(c, specs, (text, kind) => (kind === 'flag' ? `\\fB${roff(text)}\\fR` : `\\fI${roff(text)}\\fR`)).replace(/ \[options\]$/, '');
  const shown = new Set(specs.filter((x) => x.synopsis !== undefined).map(flagOf));
  const args = lead.includes('(') ? '' : (c as unknown as { registeredArguments: Array<{ name(): string; required: boolean; variadic: boolean }> }).registeredArguments
    .map((a) => {
      const name = a.name() + (a.variadic ? '...' : '');
      return a.required ? ` \\fI${name}\\fR` : ` [\\fI${name}\\fR]`;
    }).join('');
  const opts = (c.options as Option[]).filter((o) => !o.hidden && !shown.has(o.long ?? o.short ?? '')).map((o) => {
    const flag = roff(o.long ?? o.short ?? '');
    // A value the option needs (<ID>), or one it may take ([TYPE], as --all [TYPE]).
    const value = /<([^>]+)>/.exec(o.flags)?.[1];
    const optional = /\[([^\]]+)\]/.exec(o.flags)?.[1];
    const said = value ? ` \\fI${roff(value)}\\fR` : optional ? ` [\\fI${roff(optional)}\\fR]` : '';
    return ` [\\fB${flag}\\fR${said}]`;
  }).join('');
  // One line of words, never one that starts with a space (roff would break the synopsis there).
  const line = [lead, opts.trim(), args.trim()].filter(Boolean).join(' ');
  return `.ad l\n.nh\n.B shmkit ${roff(c.name())}\n${line ? `${line}\n` : ''}.hy\n.ad\n`;
}

function options(c: Command): string {
  return (c.options as Option[]).filter((o) => !o.hidden).map((o) => {
    const flags = roff(o.flags).replace(/<([^>]+)>/g, '\\fI$1\\fR');
    const dflt = o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' && !Array.isArray(o.defaultValue)
      ? ` (default: ${roff(String(o.defaultValue))})` : '';
    return `.TP\n.B ${flags}\n${roff(o.description)}${dflt}\n`;
  }).join('') + '.TP\n.B \\-h, \\-\\-help\nshow the help for this command\n';
}

function examples(name: string): string {
  const h = helpOf(name);
  if (!h) return '';
  return '.SH EXAMPLES\n' + h.examples.map(([cmd, note]) => `.PP\n${note ? `${roff(note[0]!.toUpperCase() + note.slice(1))}:\n` : ''}.RS\n.nf\n${roff(cmd)}\n.fi\n.RE\n`).join('')
    + (usesJq(h) ? `.PP\n${roff(JQ_CAVEAT)}\n` : '');
}

const COMMON_EXIT = EXIT_STATUS.map((e) => `.TP\n.B ${e.codes.join(', ')}\n${roff(e.meaning)}\n`).join('');

/** The commands whose JSON is made of the field table, and the section that lists its fields. */
const JSON_OF: Record<string, string> = { list: 'Each element of the array', stat: 'The object' };

type Described = { name: string; type: string; nullable?: true; ipcs?: string; help: string; column?: { head: string } };

function fieldRows(fields: readonly Described[]): string {
  return fields.map((f) => {
    const where = [f.ipcs ? `ipcs: ${f.ipcs}` : '', f.column ? `table: ${f.column.head}` : ''].filter(Boolean).join('; ');
    return `.TP\n.B ${f.name}\n${roff(`${f.type}${f.nullable ? ' or null' : ''}: ${f.help}${where ? ` (${where})` : ''}`)}\n`;
  }).join('');
}

function jsonFields(name: string): string {
  const intro = JSON_OF[name];
  if (!intro) return '';
  const kinds = name === 'list' ? ['--sem', '--queues'] : ['--sem', '--queue'];
  return `.SH JSON FIELDS\n${roff(`${intro} has these members, in this order. Integers are exact (digits, never a double); times are ISO 8601 in UTC.`)}\n`
    + fieldRows(SEGMENT_FIELDS.filter((f) => !f.tableOnly))
    + `.SS Semaphore sets (${kinds[0]})\n${fieldRows(SEM_SET_FIELDS)}`
    + `.SS Message queues (${kinds[1]})\n${fieldRows(QUEUE_FIELDS)}`;
}

export function commandPage(program: Command, c: Command, version: string): string {
  const name = c.name();
  const h = helpOf(name);
  return `.TH SHMKIT\\-${roff(name.toUpperCase())} 1 "${DATE}" "shmkit ${version}" "User Commands"
.SH NAME
shmkit\\-${roff(name)} \\- ${roff(c.summary())}
.SH SYNOPSIS
${synopsis(c)}.SH DESCRIPTION
${roff(c.description())}
.SH OPTIONS
${options(c)}${jsonFields(name)}.SH EXIT STATUS
${h?.exit ? roff(h.exit) + '\n' : COMMON_EXIT}${examples(name)}.SH SEE ALSO
.BR shmkit (1),
${visible(program).filter((o) => o !== c).map((o) => `.BR shmkit\\-${roff(o.name())} (1),`).join('\n')}
.BR ipcs (1),
.BR ipcrm (1),
.BR ipcmk (1),
.BR shmget (2)
`;
}

export function mainPage(program: Command, version: string): string {
  const cmds = visible(program);
  const sections = cmds.map((c) => `.SS ${roff(c.name())}
${synopsis(c)}.PP
${roff(c.description())}
.RS
${options(c).replace(/\.TP\n\.B \\-h, \\-\\-help\nshow the help for this command\n$/, '')}.RE
`).join('');
  return `.TH SHMKIT 1 "${DATE}" "shmkit ${version}" "User Commands"
.SH NAME
shmkit \\- System V shared memory from the command line
.SH SYNOPSIS
.B shmkit
[\\fB\\-\\-no\\-color\\fR]
\\fIcommand\\fR
[\\fIoptions\\fR]
.br
.B shmkit
\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR
.SH DESCRIPTION
${roff(program.description())}
.PP
It calls libc's shmget, shmat, shmdt, shmctl and ftok directly. Its --format ipcs output is byte for byte what
${'ipcs'}(1) prints, and it adds what ipcs, ipcrm and ipcmk lack: JSON with exact integers, the processes attached
to a segment, orphaned segments, and the tutorial's writer/reader pair with a lockstep mode.
.PP
A \\fIKEY\\fR is 0x\\-hex, leading\\-0 octal or decimal, within 32 bits (as ipcrm \\-M reads it). An \\fIID\\fR is a
non\\-negative decimal. A \\fISIZE\\fR is bytes with ipcmk's suffixes: K, M, G, T (powers of 1024), KiB, MiB (1024),
KB, MB (1000), and fractions such as 1.5M. A \\fIDURATION\\fR is 3s, 150ms or 0; a plain number is milliseconds.
.PP
Results go to standard output; every message goes to standard error as one line,
\\fBshmkit: \\fR\\fIcommand\\fR\\fB: \\fR\\fImessage\\fR, naming the errno and, where it helps, the fix.
.SH GLOBAL OPTIONS
.TP
.B \\-\\-no\\-color
no colour, even on a terminal
.TP
.B \\-V, \\-\\-version
print the version
.TP
.B \\-h, \\-\\-help
print the help; \\fBshmkit\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR for a command's
.SH COMMANDS
${sections}.SH JSON
Every \\fB\\-\\-json\\fR output is one JSON document (reader \\-\\-json: one object per line). Integers are exact, also above
2^53: they are written as digits, never through a double. Times are ISO 8601 in UTC, or null when never set.
The shapes are listed in the README.
.SH EXIT STATUS
${COMMON_EXIT}.SH ENVIRONMENT
.TP
.B NO_COLOR
any non\\-empty value turns colour off, whatever else says
.TP
.B FORCE_COLOR
colour even when standard output is not a terminal (0 or false: never)
.TP
.B SHMKIT_DEBUG
any non\\-empty value adds a stack trace to error messages, with the src/ files and lines it came from
.TP
.B TZ
the time zone of the times in \\-\\-format ipcs and the tables (as for ipcs)
.SH FILES
.TP
.I /proc/sysvipc/shm
the segment list (every segment, whatever its permissions); without it, SHM_INFO and SHM_STAT_ANY are used
.TP
.I /proc/PID/maps
where attached segments show as /SYSV followed by the key in hex, with the shmid as the inode number
.TP
.I /proc/sys/kernel/shmmax, shmall, shmmni
the limits that \\fBshmkit info\\fR reads through IPC_INFO
.SH EXAMPLES
Two terminals, as in the tutorial:
.PP
.RS
.nf
# terminal 1                         # terminal 2
shmkit writer                        shmkit reader
.fi
.RE
.PP
Every block exactly once, at full speed:
.PP
.RS
.nf
shmkit writer \\-\\-sync \\-\\-count 100000 \\-\\-interval 0 &
shmkit reader \\-\\-sync \\-\\-quiet
.fi
.RE
.PP
A bash script that makes a segment, passes a message through it and cleans up whatever happens:
.PP
.RS
.nf
#!/usr/bin/env bash
set \\-euo pipefail
id=$(shmkit create \\-\\-size 4K \\-\\-private)
trap 'shmkit rm \\-\\-id "$id"' EXIT
shmkit attach\\-write \\-\\-id "$id" \\-\\-data "built at $(date)" \\-\\-nul
shmkit read \\-\\-id "$id"
shmkit stat \\-\\-id "$id" \\-\\-json | jq .nattch
.fi
.RE
.PP
The same bytes as ipcs:
.PP
.RS
.nf
diff <(shmkit list \\-\\-format ipcs) <(ipcs \\-m)
.fi
.RE
.SH SEE ALSO
${cmds.map((c) => `.BR shmkit\\-${roff(c.name())} (1),`).join('\n')}
.BR ipcs (1),
.BR ipcrm (1),
.BR ipcmk (1),
.BR lsipc (1),
.BR shmget (2),
.BR shmat (2),
.BR shmctl (2),
.BR semop (2),
.BR ftok (3),
.BR sysvipc (7)
`;
}

/** Every page: [file name, text]. */
export function manPages(program: Command, version: string): Array<[string, string]> {
  return [['shmkit.1', mainPage(program, version)], ...visible(program).map((c) => [`shmkit-${c.name()}.1`, commandPage(program, c, version)] as [string, string])];
}
