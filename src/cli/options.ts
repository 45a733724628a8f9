// What the shared options mean: which segment a command names, the orphans it works on, a session's key. What
// they are (flags, choices, conflicts) is declared in spec.ts.
import { ftokKey } from '../core/control.js';
import { InputError } from '../core/errors.js';
import { parseAge, parseFtok, parseId, parseKey } from '../core/parse.js';
import type { OrphanOptions } from '../core/orphans.js';
import type { SegmentTarget } from '../core/types.js';
import { shorten } from './spec.js';

export interface TargetOptions {
  id?: string;
  key?: string;
  ftok?: string;
}

/** The key ftok(3) makes from PATH[:PROJ]. */
export function ftokFrom(text: string): number {
  const { path, proj } = parseFtok(text);
  return ftokKey(path, proj);
}

/** --key, --private or --ftok as create and restore take them: undefined for a random unused key (create) or the dump's (restore). */
export function newKeyFrom(opts: { key?: string; private?: boolean; ftok?: string }, what: string): number | 'private' | undefined {
  if (opts.private) return 'private';
  if (opts.key !== undefined) {
    const key = parseKey(opts.key);
    if (key === 0) throw new InputError('key 0 is IPC_PRIVATE', `use --private for a ${what} without a key`);
    return key;
  }
  return opts.ftok === undefined ? undefined : ftokFrom(opts.ftok);
}

/**
 * An id given as an argument (stat 5, rm 5 7), as ipcrm takes them: a decimal id. Text that looks like a key is
 * refused with the option that takes keys, never guessed at.
 */
export function positionalId(text: string): number {
  if (/^(0[xX][0-9a-fA-F]+|-\d+)$/.test(text.trim())) {
    throw new InputError(`'${shorten(text)}' looks like a key, not an id`, `give a key with --key: --key ${shorten(text)}`);
  }
  return parseId(text);
}

/** Exactly one of ID, --id, --key and --ftok (the option table refuses two of the options together). */
export function targetFrom(opts: TargetOptions, positional?: string, what = 'segment'): SegmentTarget {
  if (positional !== undefined) {
    const option = opts.id !== undefined ? '--id' : opts.key !== undefined ? '--key' : opts.ftok !== undefined ? '--ftok' : null;
    if (option) throw new InputError(`give the ${what} once: ID or ${option}, not both`);
    return { id: positionalId(positional) };
  }
  if (opts.id !== undefined) return { id: parseId(opts.id) };
  if (opts.key !== undefined) return { key: parseKey(opts.key) };
  if (opts.ftok !== undefined) return { key: ftokFrom(opts.ftok) };
  throw new InputError(`name the ${what} with --id ID or --key KEY (or ID, or --ftok PATH)`);
}

/** --orphans [--older-than AGE] as findOrphans takes them; null without --orphans. */
export function orphanOptions(opts: { orphans?: boolean; olderThan?: string }): OrphanOptions | null {
  if (!opts.orphans) return null;
  return opts.olderThan === undefined ? {} : { olderThan: parseAge(opts.olderThan) };
}

/** The key of a writer/reader session (--key, or --ftok): any key but 0, where processes could not find each other. */
export function sessionKey(text: string, ftok?: string): number {
  const key = ftok !== undefined ? ftokFrom(ftok) : parseKey(text);
  if (key === 0) throw new InputError('key 0 is IPC_PRIVATE: a writer and a reader in other processes could not meet there');
  return key;
}

/** --fill CHAR|0xNN (attach-write, create): one single-byte character, or a byte in hex. */
export function fillByte(text: string): number {
  if (/^0[xX][0-9a-fA-F]{1,2}$/.test(text)) return parseInt(text.slice(2), 16);
  const b = Buffer.from(text, 'utf8');
  if (b.length !== 1) throw new InputError(`--fill takes one single-byte character or a byte as 0xNN, not '${shorten(text)}'`);
  return b[0] as number;
}
