// What the shared options mean: which segment a command names, the orphans it works on, a session's key. What
// they are (flags, choices, conflicts) is declared in spec.ts.
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
  if (opts.id !== undefined) return { id: parseId(opts.id) };
  if (opts.key !== undefined) return { key: parseKey(opts.key) };
  throw new InputError('name the segment with --id ID or --key KEY');
}

/** --orphans [--older-than AGE] as findOrphans takes them; null without --orphans. */
export function orphanOptions(opts: { orphans?: boolean; olderThan?: string }): OrphanOptions | null {
  if (!opts.orphans) return null;
  return opts.olderThan === undefined ? {} : { olderThan: parseAge(opts.olderThan) };
}

/** The key of a writer/reader session: any key but 0, where processes could not find each other. */
export function sessionKey(text: string): number {
  const key = parseKey(text);
  if (key === 0) throw new InputError('key 0 is IPC_PRIVATE: a writer and a reader in other processes could not meet there');
  return key;
}
