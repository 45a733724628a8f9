// Colour rules: NO_COLOR (any non-empty value) always wins, then --no-color, then FORCE_COLOR; otherwise colour only
// when stdout is a terminal. chalk is loaded only by the commands that colour something.
import type { ChalkInstance } from 'chalk';

let noColorFlag = false;

export function setNoColor(value: boolean): void {
  noColorFlag = value;
}

export function colorLevel(env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (noColorFlag) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!isTTY) return 0;
  if (env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (/-256(color)?$/i.test(env.TERM ?? '')) return 2;
  return 1;
}

export async function getChalk(): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: colorLevel() });
}
