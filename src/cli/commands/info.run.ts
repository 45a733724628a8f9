// The work of `shmkit info`, loaded only when that command runs.
import { getSystemInfo } from '../../core/limits.js';
import { U64_MAX, parsePositive, parseSize } from '../../core/parse.js';
import { willFit } from '../../core/fits.js';
import { doesNotFit, fitsJson, fitsText } from '../format/fits.js';
import { humanSize } from '../format/human.js';
import { ipcsInfo } from '../format/ipcs.js';
import { toJson } from '../format/json.js';
import { choice } from '../spec.js';
import { print } from '../output.js';

export
interface Opts { fits?: string; count?: string; json?: boolean; format?: string; limits?: boolean; summary?: boolean; bytes?: boolean; human?: boolean; source?: string }

export function run(opts: Opts): void {
  const format = opts.json ? 'json' : choice<'text' | 'json' | 'ipcs'>(opts.format, 'text');
  if (opts.fits !== undefined) {
    const answer = willFit(parseSize(opts.fits), opts.count === undefined ? 1 : parsePositive(opts.count, 'count'), choice(opts.source, 'auto'));
    print(format === 'json' ? fitsJson(answer) : fitsText(answer));
    if (!answer.fits) throw doesNotFit(answer);
    return;
  }
  const which = opts.limits || opts.summary ? { limits: opts.limits ?? false, summary: opts.summary ?? false } : { limits: true, summary: true };
  const source = choice<'auto' | 'proc' | 'kernel'>(opts.source, 'auto');
  const { limits, usage, pageSize, ipcNamespace } = getSystemInfo(source);
  if (format === 'ipcs') {
    print(ipcsInfo(limits, usage, pageSize, opts.bytes ? 'bytes' : opts.human ? 'human' : 'default', which));
    return;
  }
  if (format === 'json') {
    const out: Record<string, import('../format/json.js').Json> = {};
    if (which.limits) out.limits = { shmmax: limits.shmmax, shmmin: limits.shmmin, shmmni: limits.shmmni, shmseg: limits.shmseg, shmall: limits.shmall };
    if (which.summary) {
      out.usage = {
        usedIds: usage.usedIds, shmTot: usage.shmTot, shmRss: usage.shmRss, shmSwp: usage.shmSwp,
        swapAttempts: usage.swapAttempts, swapSuccesses: usage.swapSuccesses,
      };
    }
    out.pageSize = pageSize;
    out.ipcNamespace = ipcNamespace && { inode: ipcNamespace.inode, initial: ipcNamespace.initial };
    print(toJson(out) + '\n');
    return;
  }
  const pg = BigInt(pageSize);
  const rows: Array<[string, string] | string> = [];
  if (which.limits) {
    const total = limits.shmall * pg > U64_MAX ? U64_MAX : limits.shmall * pg;
    rows.push('Limits',
      ['largest segment (shmmax)', `${limits.shmmax} bytes (${humanSize(limits.shmmax)})`],
      ['smallest segment (shmmin)', `${limits.shmmin} byte${limits.shmmin === 1n ? '' : 's'}`],
      ['segments on the system (shmmni)', `${limits.shmmni}`],
      ['segments per process (shmseg)', `${limits.shmseg}`],
      ['all segments together (shmall)', `${limits.shmall} pages (${total} bytes, ${humanSize(total)})`]);
  }
  if (which.summary) {
    rows.push('Usage',
      ['segments', `${usage.usedIds}`],
      ['pages allocated', `${usage.shmTot} (${humanSize(usage.shmTot * pg)})`],
      ['pages resident', `${usage.shmRss} (${humanSize(usage.shmRss * pg)})`],
      ['pages swapped', `${usage.shmSwp} (${humanSize(usage.shmSwp * pg)})`]);
  }
  rows.push(['page size', `${pageSize} bytes`]);
  if (ipcNamespace) {
    rows.push(['IPC namespace', ipcNamespace.initial ? `${ipcNamespace.inode} (the host's)`
      : `${ipcNamespace.inode} (not the host's: this namespace has segments and limits of its own)`]);
  }
  const width = Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : r[0].length)));
  const lines = rows.map((r) => (typeof r === 'string' ? r : `  ${r[0].padEnd(width)}  ${r[1]}`));
  print(lines.join('\n') + '\n');
}
