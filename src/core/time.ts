// Local time as libc gives it (localtime_r), for the TZ strings that node's ICU does not take.
import * as sys from '../sys/libc.js';

/** A moment's local date and time fields, as localtime(3) gives them. */
export interface LocalFields {
  year: number;
  /** 0-11 */
  month: number;
  date: number;
  /** 0 (Sunday) - 6 */
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** t (seconds since the epoch) in the local time of the environment's TZ, by glibc's own rules. */
export function libcLocalTime(t: number): LocalFields {
  const [seconds, minutes, hours, date, month, year, weekday] = sys.localtime(t);
  return { year: year + 1900, month, date, weekday, hours, minutes, seconds };
}
