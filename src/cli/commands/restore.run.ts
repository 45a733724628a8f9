// The work of `shmkit restore`, loaded only when that command runs.
import { closeSync, openSync } from 'node:fs';
import { restoreSegment } from '../../core/dump.js';
import { InputError, errnoText } from '../../core/errors.js';
import { formatKey, parseKey } from '../../core/parse.js';
import { toJson } from '../format/json.js';
import { runControl } from '../lines.js';
import { notice, print } from '../output.js';

export
interface Opts { key?: string; private?: boolean; force?: boolean; json?: boolean }

export async function run(file: string, opts: Opts): Promise<void> {
  const control = runControl();
  let key: number | 'private' | undefined;
  if (opts.private) key = 'private';
  else if (opts.key !== undefined) {
    key = parseKey(opts.key);
    if (key === 0) throw new InputError('key 0 is IPC_PRIVATE', 'use --private for a segment without a key');
  }
  let fd = 0;
  if (file !== '-') {
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      const n = e as NodeJS.ErrnoException;
      throw new InputError(`cannot read ${file}: ${n.errno !== undefined ? errnoText(-n.errno) : n.message}`);
    }
  }
  try {
    const r = await restoreSegment(fd, { ...(key === undefined ? {} : { key }), force: opts.force ?? false, signal: control.signal });
    if (r.trailer.changed) notice('restore', 'the dump says its segment changed while it was read: the bytes may be of no single moment');
    if (!r.created) notice('restore', `wrote over segment ${r.id} (key ${formatKey(r.key)})`);
    print(opts.json ? toJson({ id: r.id, key: r.key, keyHex: formatKey(r.key), size: r.size, created: r.created, changed: r.trailer.changed }) + '\n' : `${r.id}\n`);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
