// What the locale lets the output use: setlocale's own order (LC_ALL, then LC_CTYPE, then LANG), and a character set
// named UTF-8 (en_US.UTF-8, C.utf8). Without one (LANG unset, C, POSIX, latin1) output keeps to ASCII.
export function utf8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const name = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(name);
}

/** The mark after a pid whose process is gone: a dagger, or '*' where the locale is not UTF-8. */
export const goneMark = (env: NodeJS.ProcessEnv = process.env) => (utf8Locale(env) ? '†' : '*');

/** The legend of goneMark, as the list table prints it under itself and its help says it. */
export const goneLegend = (mark: string) =>
  `${mark} after a pid: the process is gone; a - for a pid: not in this PID namespace`;
