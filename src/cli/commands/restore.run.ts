// The work of `shmkit restore`, loaded only when that command runs.
import { closeSync, openSync } from 'node:fs';
import { restoreSegment } from '../../core/dump.js';
import { InputError, nodeErrnoText } from '../../core/errors.js';
import { formatKey } from '../../core/parse.js';
import { newKeyFrom } from '../options.js';
import { toJson } from '../format/json.js';
import { runControl } from '../lines.js';
import { notice, print } from '../output.js';

export
interface Opts { key?: string; private?: boolean; force?: boolean; json?: boolean }

export async function run(file: string, opts: Opts): Promise<void> {
  const control = runControl();
  const key = newKeyFrom(opts, 'segment');
  let fd = 0;
  if (file !== '-') {
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new InputError(`cannot read ${file}: ${nodeErrnoText(e)}`);
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
