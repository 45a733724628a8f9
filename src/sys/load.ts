// koffi and libc, loaded on the first call that needs them: a command that only prints (help, usage errors, an empty
// listing) does not pay for the FFI. Declarations are made here too, once per prototype, for the checked adapter
// (checked.ts) and the struct layouts (layout.ts) to share.
import type { LibraryHandle } from 'koffi';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadError } from './errors.js';

export type Koffi = typeof import('koffi').default;

function findLibc(): string | null {
  try {
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const slash = line.indexOf('/');
      if (slash < 0) continue;
      const file = line.slice(slash);
      if (/\/libc\.so\.6$/.test(file) || /\/(ld-musl-[\w-]+|libc\.musl-[\w-]+)\.so\.1$/.test(file)) return file;
    }
  } catch {
    // no /proc: fall back to the global symbol scope, which holds the libc node itself links against
  }
  return null;
}

/**
 * koffi's native addon. Its package entry (require('koffi')) resolves the package's exports, reads node's own ELF
 * header to tell glibc from musl and wraps the addon in deprecation shims: ~8 ms of a command's start-up (issue 6).
 * We know the libc already (findLibc), so we load the prebuilt addon that koffi's own loader would pick, from the
 * node_modules folders above this module, and hold it to koffi's own rule: the addon's version is exactly the koffi
 * package's beside it. Any other layout or version (a hoisted or a source build, a mismatch) falls back to
 * require('koffi'), which decides, and says what is wrong.
 */
function requireKoffi(libc: 'glibc' | 'musl'): Koffi {
  const pkg = `@koromix/koffi-${process.platform}-${process.arch}`;
  const triplet = `${libc === 'musl' ? 'musl' : process.platform}_${process.arch}`;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const addon = join(dir, 'node_modules', pkg, triplet, 'koffi.node');
    if (existsSync(addon)) {
      try {
        const wanted = (JSON.parse(readFileSync(join(dir, 'node_modules', 'koffi', 'package.json'), 'utf8')) as { version?: unknown }).version;
        // What require() does for a .node file, without needing a require (node:module is not loaded for it).
        const holder = { exports: {} as Koffi };
        process.dlopen(holder, addon);
        const native = holder.exports;
        if (typeof wanted === 'string' && native.version === wanted) return native;
      } catch {
        // no koffi package beside it, or not loadable here (another ABI): koffi's own loader decides
      }
      break;
    }
    if (dir === dirname(dir)) break;
  }
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch (e) {
    throw new LoadError(`cannot load koffi, which shmkit calls libc through: ${(e as Error).message}; reinstall shmkit (npm ci), ` +
      'without --omit=optional, so that koffi and its native package are there in the same version');
  }
}

export interface Native {
  koffi: Koffi;
  lib: LibraryHandle;
  /** errno names by number, the canonical name where two share one (EAGAIN, not EWOULDBLOCK). */
  errnoNames: Map<number, string>;
  errno: Readonly<Record<string, number>>;
}

let loaded: Native | undefined;

export function native(): Native {
  if (loaded) return loaded;
  const libc = findLibc();
  const koffi = requireKoffi(libc !== null && /musl/.test(libc) ? 'musl' : 'glibc');
  const errnoNames = new Map<number, string>();
  for (const [name, value] of Object.entries(koffi.os.errno)) {
    if (!errnoNames.has(value) || ['EAGAIN', 'EDEADLK', 'EOPNOTSUPP'].includes(name)) errnoNames.set(value, name);
  }
  loaded = { koffi, lib: koffi.load(libc), errnoNames, errno: koffi.os.errno };
  return loaded;
}

const declared = new Map<string, (...args: never[]) => unknown>();

/** The libc function of a C prototype ('int shmget(int key, size_t size, int shmflg)'), declared once. */
export function declare(prototype: string): (...args: never[]) => unknown {
  let fn = declared.get(prototype);
  if (!fn) {
    fn = native().lib.func(prototype) as unknown as (...args: never[]) => unknown;
    declared.set(prototype, fn);
  }
  return fn;
}
