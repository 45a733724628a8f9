// Sizes as util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER) prints them (ipcs --human, lsipc): 8B, 1000B, 1K,
// 1.5K, 97.7K, 1.5M, 16E. Three decimals computed in uint64 as util-linux does, rounded to one, a trailing 0 dropped.
import { U64_MAX } from '../../core/parse.js';

const LETTERS = 'BKMGTPE';

export function humanSize(bytes: bigint): string {
  let exp = 0;
  for (let shift = 10; shift <= 60; shift += 10) {
    exp = shift;
    if (bytes < 1n << BigInt(shift)) break;
    if (shift === 60) exp = 70;
  }
  exp -= 10;
  const letter = LETTERS[exp / 10] ?? 'E';
  let dec = exp ? bytes >> BigInt(exp) : bytes;
  let frac = exp ? bytes % (1n << BigInt(exp)) : 0n;
  if (frac) {
    frac = frac >= U64_MAX / 1000n ? ((frac / 1024n) * 1000n) >> BigInt(exp - 10) : (frac * 1000n) >> BigInt(exp);
    frac = ((frac + 50n) / 100n) * 10n;
    if (frac === 100n) {
      dec += 1n;
      frac = 0n;
    }
  }
  if (frac) {
    let s = `${dec}.${frac.toString().padStart(2, '0')}`;
    if (s.endsWith('0')) s = s.slice(0, -1);
    return s + letter;
  }
  return `${dec}${letter}`;
}
