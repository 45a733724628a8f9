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

/** A short local time for tables: HH:MM today, "Nov 26" this year, "2025-11-26" before. */
export function shortTime(seconds: number, now = new Date()): string {
  if (seconds === 0) return '-';
  const d = localFields(seconds);
  const today = localFields(Math.floor(now.getTime() / 1000));
  if (d.year === today.year && d.month === today.month && d.date === today.date) return `${two(d.hours)}:${two(d.minutes)}`;
  if (d.year === today.year) return `${MONTHS[d.month]} ${two(d.date)}`;
  return `${d.year}-${two(d.month + 1)}-${two(d.date)}`;
}
