// The answer to "will it fit?" (create --dry-run, info --fits): each of the kernel's limits with what is used, what
// the segments ask and what is left, as text or as JSON with exact integers; and the words for the first limit that
// does not hold, with the sysctl that raises it.
import { OperationError } from '../../core/errors.js';
import type { FitAnswer, FitCheck } from '../../core/fits.js';
import { humanSize } from './human.js';
import { toJson } from './json.js';

const plural = (n: bigint, unit: FitCheck['unit']) => (n === 1n ? unit.replace(/s$/, '') : unit);

function row(c: FitCheck): [string, string, string, string] {
  const allowed = c.floor ? `at least ${c.allowed} ${plural(c.allowed, c.unit)}` : `${c.allowed} ${plural(c.allowed, c.unit)}`;
  const asked = c.used > 0n || c.unit !== 'bytes' ? `${c.used} used + ${c.asked} asked` : `${c.asked} asked`;
  const verdict = c.fits ? (c.floor ? 'fits' : `fits, ${c.headroom} to spare`) : c.floor ? 'too small' : `does not fit: ${-c.headroom} too many`;
  return [c.limit, allowed, asked, verdict];
}

export function fitsText(a: FitAnswer): string {
  const what = `${a.count} segment${a.count === 1 ? '' : 's'} of ${a.size} bytes (${humanSize(a.size)}), ${a.pageSize}-byte pages`;
  const rows = a.checks.map(row);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  '));
  const where = a.ipcNamespace ? ` in IPC namespace ${a.ipcNamespace.inode}` : '';
  return `${what}${where}: ${a.fits ? 'fits' : 'does not fit'}\n${lines.join('\n')}\n`;
}

export function fitsJson(a: FitAnswer): string {
  const limits: Record<string, import('./json.js').Json> = {};
  for (const c of a.checks) limits[c.limit] = { allowed: c.allowed, used: c.used, asked: c.asked, headroom: c.headroom, unit: c.unit, fits: c.fits };
  return toJson({
    fits: a.fits, size: a.size, count: a.count, pageSize: a.pageSize, limits,
    ipcNamespace: a.ipcNamespace ? { inode: a.ipcNamespace.inode, initial: a.ipcNamespace.initial } : null,
  }) + '\n';
}

/** The failure for an answer that does not fit: the first limit that does not hold, and how to raise it. */
export function doesNotFit(a: FitAnswer): OperationError {
  const c = a.checks.find((x) => !x.fits) as FitCheck;
  if (c.floor) return new OperationError(`does not fit: a segment has at least ${c.allowed} ${plural(c.allowed, c.unit)} (shmmin)`);
  const need = c.used + c.asked;
  const needed = c.limit === 'shmmax' ? `the segment has ${c.asked}` : `${need} are needed (${c.used} in use + ${c.asked} asked)`;
  return new OperationError(`does not fit: ${c.limit} is ${c.allowed} ${plural(c.allowed, c.unit)}, and ${needed}`,
    { hint: `raise it with: sysctl kernel.${c.limit}=${need}` });
}
