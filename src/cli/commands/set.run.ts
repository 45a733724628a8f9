// The work of `shmkit set` (and chmod, chown), loaded only when that command runs.
import { setSegment, type SegmentChange } from '../../core/control.js';
import { InputError } from '../../core/errors.js';
import { NAMES, gidOf, primaryGidOf, uidOf } from '../../core/names.js';
import { parseMode, shorten } from '../../core/parse.js';
import { segmentJsonText } from '../format/fields.js';
import { semaphoreSetsByKey } from '../../core/kinds.js';
import { targetFrom } from '../options.js';
import { print } from '../output.js';

export
interface Opts { id?: string; key?: string; ftok?: string; mode?: string; owner?: string; group?: string; json?: boolean }

function user(text: string): number {
  const uid = uidOf(text);
  if (uid === null) throw new InputError(`no user is named '${shorten(text)}'`, 'give a user name or a uid');
  return uid;
}

function group(text: string): number {
  const gid = gidOf(text);
  if (gid === null) throw new InputError(`no group is named '${shorten(text)}'`, 'give a group name or a gid');
  return gid;
}

/** chown's USER[:GROUP]: USER alone keeps the group, USER: is the user's own group, :GROUP the group alone. */
function owner(text: string): Pick<SegmentChange, 'uid' | 'gid'> {
  const at = text.indexOf(':');
  if (at < 0) return { uid: user(text) };
  const [u, g] = [text.slice(0, at), text.slice(at + 1)];
  const change: Pick<SegmentChange, 'uid' | 'gid'> = {};
  if (u !== '') change.uid = user(u);
  if (g !== '') change.gid = group(g);
  else if (u !== '') {
    const gid = primaryGidOf(u);
    if (gid === null) throw new InputError(`user '${shorten(u)}' has no entry to take a group from`, 'name the group: USER:GROUP');
    change.gid = gid;
  }
  if (u === '' && g === '') throw new InputError(`invalid owner '${text}'`, 'give USER, USER:GROUP, USER: or :GROUP');
  return change;
}

/** The command that ran (set, chmod or chown) decides what the arguments are: chmod and chown take a value first. */
export function run(opts: Opts, args: string[], command: string): void {
  const rest = [...args];
  if (command === 'chmod' || command === 'chown') {
    const option = command === 'chmod' ? '--mode' : '--owner';
    const given = command === 'chmod' ? opts.mode : opts.owner;
    if (given === undefined) {
      const value = rest.shift();
      if (value === undefined) throw new InputError(`say what to set: shmkit ${command} ${command === 'chmod' ? 'MODE' : 'USER[:GROUP]'} ID`);
      if (command === 'chmod') opts.mode = value;
      else opts.owner = value;
    } else if (rest.length > 1) throw new InputError(`${option} given, and ${rest.length} arguments: give the id once`);
  }
  if (rest.length > 1) throw new InputError(`too many arguments: '${shorten(rest.join(' '))}'`, 'give one segment: ID, --id, --key or --ftok');
  if (opts.mode === undefined && opts.owner === undefined && opts.group === undefined) {
    throw new InputError('say what to change: --mode OCTAL, --owner USER[:GROUP] or --group GROUP');
  }
  const change: SegmentChange = {};
  if (opts.mode !== undefined) change.mode = parseMode(opts.mode);
  if (opts.owner !== undefined) Object.assign(change, owner(opts.owner));
  if (opts.group !== undefined) {
    if (change.gid !== undefined) throw new InputError('give the group once: --owner USER:GROUP or --group GROUP, not both');
    change.gid = group(opts.group);
  }
  const target = targetFrom(opts, rest[0]);
  const after = setSegment(target, change);
  // As chmod and chown: nothing to say on success; --json gives the record after the change.
  if (opts.json) print(segmentJsonText(after, NAMES, null, '', { semaphoreSet: after.key === 0 ? null : semaphoreSetsByKey().get(after.key) ?? null }) + '\n');
}
