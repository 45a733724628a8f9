// The work of `shmkit create`, loaded only when that command runs.
import { InputError, OperationError } from '../../core/errors.js';
import { formatKey, formatMode, parseMode, parsePositive, parseSize } from '../../core/parse.js';
import { createQueue, createSemaphoreSet } from '../../core/kind-create.js';
import { createSegment, undoCreate } from '../../core/create.js';
import { isBrokenPipe } from '../errors.js';
import { doesNotFit, fitsJson, fitsText } from '../format/fits.js';
import { toJson } from '../format/json.js';
import { willFit } from '../../core/fits.js';
import { fillByte, newKeyFrom } from '../options.js';
import { notice, print } from '../output.js';

export
interface Opts {
  size?: string; key?: string; private?: boolean; ftok?: string; mode: string; exclusive?: boolean; json?: boolean; dryRun?: boolean;
  hugetlb?: boolean; hugepageSize?: '2M' | '1G'; noreserve?: boolean; fill?: string; sem?: string; queue?: boolean;
}

/** create --sem N or --queue: the set or queue, its id on stdout, as for a segment. */
function createKind(opts: Opts): void {
  const mode = parseMode(opts.mode);
  const nsems = opts.sem === undefined ? 0 : parsePositive(opts.sem, 'number of semaphores');
  const what = opts.sem !== undefined ? 'semaphore set' : 'queue';
  const key = newKeyFrom(opts, what);
  const o = { ...(key === undefined ? {} : { key }), mode, exclusive: opts.exclusive ?? false };
  const r = opts.sem !== undefined ? createSemaphoreSet(nsems, o) : createQueue(o);
  if (!r.created) notice('create', `key ${formatKey(r.key)} already had ${what} ${r.id}: opened it (--exclusive fails instead)`);
  print(opts.json
    ? toJson({ id: r.id, key: r.key, keyHex: formatKey(r.key), mode, created: r.created, ...(opts.sem !== undefined ? { nsems } : {}) }) + '\n'
    : `${r.id}\n`);
}

export function run(opts: Opts): void {
  if (opts.sem !== undefined || opts.queue) {
    createKind(opts);
    return;
  }
  if (opts.size === undefined) throw new InputError('--size is required', 'for example: shmkit create --size 4096');
  const size = parseSize(opts.size);
  const mode = parseMode(opts.mode);
  if (opts.dryRun) {
    const answer = willFit(size);
    print(opts.json ? fitsJson(answer) : fitsText(answer));
    if (!answer.fits) throw doesNotFit(answer);
    return;
  }
  const key = newKeyFrom(opts, 'segment');
  const fill = opts.fill === undefined ? undefined : fillByte(opts.fill);
  const r = createSegment({
    ...(key === undefined ? {} : { key }), size, mode, exclusive: opts.exclusive ?? false, hugetlb: opts.hugetlb ?? false, noReserve: opts.noreserve ?? false,
    ...(opts.hugepageSize ? { hugePageSize: parseSize(opts.hugepageSize) } : {}), ...(fill === undefined ? {} : { fill }),
  });
  if (!r.created) {
    notice('create', `key ${formatKey(r.key)} already had segment ${r.id} (${r.size} bytes, mode ${formatMode(r.mode)}): opened it${fill === undefined ? '' : ' and left its contents as they are'} (--exclusive fails instead)`);
  }
  const result = opts.json
    ? toJson({ id: r.id, key: r.key, keyHex: formatKey(r.key), size: r.size, mode: r.mode, created: r.created, filled: r.filled }) + '\n' : `${r.id}\n`;
  try {
    print(result);
  } catch (e) {
    // Nobody learns the id of a segment whose id cannot be printed: take back what this call made.
    if (!r.created) throw e;
    const removed = undoCreate(r.id);
    if (isBrokenPipe(e)) {
      if (!removed) notice('create', `segment ${r.id} (key ${formatKey(r.key)}) was made and is attached already, so it stays; its id could not be printed`);
      throw e;
    }
    throw new OperationError(`${(e as Error).message}; ` +
      (removed ? `segment ${r.id} was made and is removed again` : `segment ${r.id} (key ${formatKey(r.key)}) was made and is attached already, so it stays`));
  }
}
