// Parsing of the user's numbers: keys, ids, sizes (ipcmk's rules), offsets, durations and modes.
// Every function throws InputError with a message that names the bad value.
import { InputError } from './errors.js';

const U32_MAX = 0xffff_ffff;

/** What the user typed, cut to a length a message can show (an argument can be 100,000 digits long). */
export function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/**
 * A System V key as ipcrm -M takes it: 0x-hex, leading-0 octal or decimal, within 32 bits.
 * Negative decimals down to -2^31 are accepted as the signed form that /proc/sysvipc/shm prints.
 * Returns the key as an unsigned 32-bit number.
 */
export function parseKey(text: string): number {
  const s = text.trim();
  let value: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) value = BigInt(s);
  else if (/^0[0-7]+$/.test(s)) value = BigInt('0o' + s.slice(1));
  else if (/^(0|[1-9][0-9]*)$/.test(s)) value = BigInt(s);
  else if (/^-[1-9][0-9]*$/.test(s)) {
    value = BigInt(s);
    if (value < -0x8000_0000n) throw new InputError(`key '${shorten(text)}' is out of range: keys are 32-bit`);
    value += 0x1_0000_0000n;
  } else {
    throw new InputError(`invalid key '${shorten(text)}'`, 'a key is hex (0x1234), octal (01234) or decimal (4660), within 32 bits');
  }
  if (value > BigInt(U32_MAX)) throw new InputError(`key '${shorten(text)}' is out of range: keys are 32-bit (at most 0xffffffff)`);
  return Number(value);
}

/** An id (shmid) as the kernel returns it: a non-negative decimal int. */
export function parseId(text: string): number {
  const s = text.trim();
  if (!/^[0-9]+$/.test(s)) throw new InputError(`invalid id '${shorten(text)}'`, 'an id is a non-negative decimal number', { kind: 'bad-id' });
  const v = Number(s);
  if (v > 0x7fff_ffff) throw new InputError(`id '${shorten(text)}' is out of range (at most 2147483647)`);
  return v;
}

/** A non-negative decimal count of bytes (offsets, lengths). */
export function parseCount(text: string, what: string): number {
  const s = text.trim();
  if (!/^[0-9]+$/.test(s)) throw new InputError(`invalid ${what} '${shorten(text)}': expected a non-negative whole number of bytes`);
  const v = Number(s);
  if (!Number.isSafeInteger(v)) throw new InputError(`${what} '${shorten(text)}' is too large`);
  return v;
}

/** A positive whole number (counts of blocks). */
export function parsePositive(text: string, what: string): number {
  const s = text.trim();
  if (!/^[0-9]+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) {
    throw new InputError(`invalid ${what} '${shorten(text)}': expected a whole number of at least 1`);
  }
  return Number(s);
}

const SUFFIX_POWER: Record<string, number> = { K: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };
/** The largest 64-bit unsigned number: sizes and limits are at most this. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/**
 * A size as ipcmk takes it: an integer (0x-hex and leading-0 octal too, as strtoumax base 0 reads them), an optional
 * decimal fraction, and an optional suffix: K M G T P E (powers of 1024), KiB MiB ... (1024), KB MB ... (1000).
 * Exact to the byte (BigInt); at most 2^64-1.
 */
export function parseSize(text: string): bigint {
  const s = text.trim();
  const bad = () => new InputError(`invalid size '${shorten(text)}'`, 'a size is a whole number of bytes, or with a suffix: 4096, 4K, 1.5M, 2MiB, 1MB');
  if (s.startsWith('-')) throw new InputError(`invalid size '${shorten(text)}': a size cannot be negative`);
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:\.([0-9]+))?(?:([KMGTPEZYkmgtpezy])(iB|ib|B|b)?)?$/.exec(s);
  if (!m) throw bad();
  const [, intPart = '0', frac, suffix, unit] = m;
  let whole: bigint;
  if (/^0[xX]/.test(intPart)) whole = BigInt(intPart);
  else if (intPart.length > 1 && intPart.startsWith('0')) whole = BigInt('0o' + intPart.slice(1));
  else whole = BigInt(intPart);
  if (frac !== undefined && suffix === undefined) throw new InputError(`invalid size '${shorten(text)}': a fraction needs a suffix (1.5K, 1.5M)`);
  if (frac !== undefined && /^0[xX]/.test(intPart)) throw bad();
  let result = whole;
  if (suffix !== undefined) {
    const base = unit === 'B' || unit === 'b' ? 1000n : 1024n;
    const scale = base ** BigInt(SUFFIX_POWER[suffix.toUpperCase()] ?? 0);
    result = whole * scale;
    if (frac !== undefined) result += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
  }
  if (result > U64_MAX) throw new InputError(`size '${shorten(text)}' is out of range (more than 2^64-1 bytes)`);
  return result;
}

/** A duration: "3s", "150ms", "1.5s", "2m", "0"; a plain number is milliseconds. Returns milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new InputError(`invalid duration '${shorten(text)}'`, 'use 3s, 150ms, 0; a plain number is milliseconds');
  const n = Number(m[1]);
  const ms = m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
  if (!Number.isFinite(ms) || ms > 2_147_483_647) throw new InputError(`duration '${shorten(text)}' is too long`);
  return Math.round(ms);
}

/** An age: a whole number with a unit, s, m, h or d ("90s", "10m", "2h", "7d"). Returns seconds. */
export function parseAge(text: string): number {
  const m = /^([0-9]{1,9})(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new InputError(`invalid age '${shorten(text)}'`, 'use a whole number and a unit: 90s, 10m, 2h or 7d');
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** Permission bits in octal, as ipcmk -p takes them: 644, 0600, 0. At most 0777. */
export function parseMode(text: string): number {
  const s = text.trim();
  if (!/^[0-7]{1,4}$/.test(s)) throw new InputError(`invalid mode '${shorten(text)}'`, 'a mode is octal permission bits, such as 644 or 0600');
  const v = parseInt(s, 8);
  if (v > 0o777) throw new InputError(`mode '${shorten(text)}' has bits beyond 0777`, 'only permission bits are allowed (setuid, setgid and sticky bits would be taken as shmget flags)');
  return v;
}

/** "PATH" or "PATH:PROJ" for ftok; PROJ is a number 1..255 (0x-hex, octal or decimal) or a single character. */
export function parseFtok(text: string): { path: string; proj: number } {
  const i = text.lastIndexOf(':');
  if (i < 0) return { path: text, proj: 1 };
  const path = text.slice(0, i);
  const projText = text.slice(i + 1);
  let proj: number;
  if (/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(projText)) proj = Number(projText.startsWith('0') && !/^0[xX]/.test(projText) && projText.length > 1 ? parseInt(projText, 8) : projText);
  else if ([...projText].length === 1) proj = projText.charCodeAt(0);
  else throw new InputError(`invalid ftok project id '${projText}'`, 'use PATH:PROJ with PROJ a number from 1 to 255 or one character');
  if (proj < 1 || proj > 255) throw new InputError(`ftok project id ${projText} is out of range`, 'ftok uses the low 8 bits: use 1 to 255');
  if (path === '') throw new InputError(`invalid ftok argument '${shorten(text)}': the path is empty`);
  return { path, proj };
}

/** 0x%08x, as ipcs prints keys. */
/** Permission bits as ipcs and ls -n write them in octal, four digits: 0644. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

export function formatKey(key: number): string {
  return '0x' + (key >>> 0).toString(16).padStart(8, '0');
}
