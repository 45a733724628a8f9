// Local time under every TZ glibc takes. node's ICU reads tz database names and a few offsets ('UTC+3', 'JST-9'),
// but prints POSIX TZ strings such as '<+0330>-3:30', 'CET-1CEST,M3.5.0,M10.5.0/3' or 'NZST-12NZDT' as UTC, where
// ipcs prints local time. glibc looks for a zone file named TZ first and reads TZ as a POSIX string only where there
// is none; so does this: a TZ that names a file stays ICU's (fast, no FFI), any other goes to glibc's localtime_r,
// which also has glibc's own ways (a rule-less 'NZST-12NZDT' takes the transitions of /usr/share/zoneinfo/posixrules).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { type LocalFields, libcLocalTime } from '../../core/time.js';

let cached: { tz: string | undefined; libc: boolean } | undefined;

/** Whether TZ is one that only glibc reads right: set, and naming no zone file. */
export function tzNeedsLibc(): boolean {
  const tz = process.env.TZ;
  if (cached !== undefined && cached.tz === tz) return cached.libc;
  const name = tz?.startsWith(':') ? tz.slice(1) : tz;
  const libc = !!name && !existsSync(isAbsolute(name) ? name : join(process.env.TZDIR || '/usr/share/zoneinfo', name));
  cached = { tz, libc };
  return libc;
}

/** t's local date and time fields, as localtime(3) gives them. */
export function localFields(t: number): LocalFields {
  if (tzNeedsLibc()) return libcLocalTime(t);
  const d = new Date(t * 1000);
  return { year: d.getFullYear(), month: d.getMonth(), date: d.getDate(), weekday: d.getDay(), hours: d.getHours(), minutes: d.getMinutes(), seconds: d.getSeconds() };
}
