// Shared option handling: which segment a command names, and formats.
import { InputError } from '../core/errors.js';
import { parseAge, parseId, parseKey } from '../core/parse.js';
import type { OrphanOptions } from '../core/orphans.js';
import type { SegmentTarget } from '../core/types.js';

export interface TargetOptions {
  id?: string;
  key?: string;
}

/** Exactly one of --id and --key. */
export function targetFrom(opts: TargetOptions): SegmentTarget {
  if (opts.id !== undefined && opts.key !== undefined) throw new InputError('give --id or --key, not both');
  if (opts.id !== undefined) return { id: parseId(opts.id) };
  if (opts.key !== undefined) return { key: parseKey(opts.key) };
  throw new InputError('name the segment with --id ID or --key KEY');
}

/** --orphans [--older-than AGE] as findOrphans takes them; null without --orphans. */
export function orphanOptions(opts: { orphans?: boolean; olderThan?: string }): OrphanOptions | null {
  if (opts.olderThan !== undefined && !opts.orphans) throw new InputError('--older-than goes with --orphans');
  if (!opts.orphans) return null;
  return opts.olderThan === undefined ? {} : { olderThan: parseAge(opts.olderThan) };
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`unknown ${what} '${value}'`, `use one of: ${allowed.join(', ')}`);
}

/** At most one of the named flags may be set. */
export function atMostOne(opts: object, names: string[]): void {
  const o = opts as Record<string, unknown>;
  const set = names.filter((n) => o[n] !== undefined && o[n] !== false);
  if (set.length > 1) throw new InputError(`${set.map(flag).join(' and ')} cannot be used together`);
}

export function flag(name: string): string {
  return '--' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** The key of a writer/reader session: any key but 0, where processes could not find each other. */
export function sessionKey(text: string): number {
  const key = parseKey(text);
  if (key === 0) throw new InputError('key 0 is IPC_PRIVATE: a writer and a reader in other processes could not meet there');
  return key;
}
