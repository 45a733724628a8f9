// Times as ctime(3) prints them in local time ("Thu Nov 26 16:01:31 2026"), and as ISO 8601 in UTC.
import { localFields } from './posix-tz.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** ctime(t) without its newline: "%.3s %.3s%3d %.2d:%.2d:%.2d %d", local time (TZ applies). */
export function ctime(seconds: number): string {
  const d = localFields(seconds);
  return `${DAYS[d.weekday]} ${MONTHS[d.month]}${String(d.date).padStart(3, ' ')} ${two(d.hours)}:${two(d.minutes)}:${two(d.seconds)} ${d.year}`;
}

const isoCache = new Map<number, string>();

/** ISO 8601 in UTC without milliseconds, or null for 0 (never set). Many segments share a second: cached. */
export function isoTime(seconds: number): string | null {
  if (seconds === 0) return null;
  let s = isoCache.get(seconds);
  if (s === undefined) {
    s = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    isoCache.set(seconds, s);
  }
  return s;
}

/**
 * The last time shortTime wrote, for the second it was asked in: a table of thousands of segments made together has
 * the same ctime on row after row, and the time zone's rules are then looked up once, not for each row.
 */
let last = { seconds: Number.NaN, now: Number.NaN, tz: undefined as string | undefined, text: '' };

/** A short local time for tables: HH:MM today, "Nov 26" this year, "2025-11-26" before. */
export function shortTime(seconds: number, now = new Date()): string {
  if (seconds === 0) return '-';
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const tz = process.env.TZ;
  if (seconds === last.seconds && nowSeconds === last.now && tz === last.tz) return last.text;
  const d = localFields(seconds);
  const today = localFields(nowSeconds);
  let text: string;
  if (d.year === today.year && d.month === today.month && d.date === today.date) text = `${two(d.hours)}:${two(d.minutes)}`;
  else if (d.year === today.year) text = `${MONTHS[d.month]} ${two(d.date)}`;
  else text = `${d.year}-${two(d.month + 1)}-${two(d.date)}`;
  last = { seconds, now: nowSeconds, tz, text };
  return text;
}
