// Test helpers: run the real bin, make unique keys, track and remove what a test creates, compile the seed.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as sys from '../../src/sys/libc.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'shmkit.js');
export const SEED = resolve(ROOT, '..', 'shared', 'seed');

export interface Run {
  pid?: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/shmkit with args, synchronously. */
export function shmkit(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'latin1', input: opts.input, env: { ...process.env, ...opts.env }, timeout: opts.timeout ?? 30_000,
    maxBuffer: 1 << 30,
  });
  return { pid: r.pid, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The segments whose creator is pid (from /proc/sysvipc/shm). */
export function createdBy(pid: number | undefined): string[] {
  return readFileSync('/proc/sysvipc/shm', 'latin1').split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f[4] === String(pid)).map((f) => f[1] ?? '');
}

/** Runs bin/shmkit with args in the background. */
export function shmkitAsync(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child);
}

/** Children still running when a test file ends are killed, so that a failed test leaves no process behind. */
const children = new Set<ReturnType<typeof spawn>>();
const killChildren = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
process.on('exit', killChildren);
// The test runner ends a file that runs past --test-timeout with SIGTERM, and then no after hook runs: kill the
// children (a lockstep reader would otherwise wait for its writer for ever) and remove what the trackers know of.
process.once('SIGTERM', () => {
  killChildren();
  for (const t of trackers) t.cleanup();
  process.exit(143);
});

export function collect(child: ReturnType<typeof spawn>) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('latin1');
  child.stderr?.setEncoding('latin1');
  child.stdout?.on('data', (d: string) => (stdout += d));
  child.stderr?.on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((res) => child.on('close', (status, signal) => res({ status, signal, stdout, stderr })));
  return { child, done, out: () => stdout, err: () => stderr };
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const r = spawnSync(cmd, args, { encoding: 'latin1', env: { ...process.env, ...opts.env }, input: opts.input, timeout: 60_000, maxBuffer: 1 << 28 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A random key no segment or semaphore set uses now (high byte 0x7e marks the test range). */
export function uniqueKey(): number {
  for (;;) {
    const key = (0x7e000000 | Math.floor(Math.random() * 0x00ffffff)) >>> 0;
    if (!keyUsed(key)) return key;
  }
}

function keyUsed(key: number): boolean {
  try {
    sys.shmget(key, 0, 0);
    return true;
  } catch (e) {
    if ((e as sys.SysError).code !== 'ENOENT') return true;
  }
  try {
    sys.semget(key, 0, 0);
    return true;
  } catch (e) {
    return (e as sys.SysError).code !== 'ENOENT';
  }
}

export const hex = (key: number) => '0x' + key.toString(16).padStart(8, '0');

const trackers = new Set<Tracker>();

/**
 * Remembers what a test creates and removes exactly that in an after hook, checking the key so that an id
 * reused by the kernel for someone else's segment is never touched.
 */
export class Tracker {
  constructor() {
    trackers.add(this);
  }
  #shm = new Map<number, number | null>();
  #semKeys = new Set<number>();
  #shmKeys = new Set<number>();
  /** A segment by id; key null for private ones (then the creator pid is not checked either). */
  shm(id: number, key: number | null = null): number {
    this.#shm.set(id, key);
    return id;
  }
  /** Whatever segment and semaphore set exist under key at cleanup time (for writer/reader sessions on unique keys). */
  key(key: number): number {
    this.#shmKeys.add(key);
    this.#semKeys.add(key);
    return key;
  }
  cleanup(): string[] {
    const removed: string[] = [];
    for (const [id, key] of this.#shm) {
      try {
        const ds = sys.shmStat(id);
        if (key !== null && (ds.key >>> 0) !== key && !(ds.mode & 0o1000)) continue; // not ours any more
        sys.shmRmid(id);
        removed.push(`shm ${id}`);
      } catch {
        // already gone
      }
    }
    for (const key of this.#shmKeys) {
      try {
        const id = sys.shmget(key, 0, 0);
        sys.shmRmid(id);
        removed.push(`shm key ${hex(key)}`);
      } catch {
        // gone
      }
    }
    for (const key of this.#semKeys) {
      try {
        const id = sys.semget(key, 0, 0);
        sys.semRmid(id);
        removed.push(`sem key ${hex(key)}`);
      } catch {
        // gone
      }
    }
    return removed;
  }
}

export function segmentExists(id: number): boolean {
  try {
    sys.shmStat(id);
    return true;
  } catch {
    return false;
  }
}

/** The keys of the segments shmkit list --orphans shows now. */
export function orphanKeys(): number[] {
  const r = shmkit(['list', '--orphans', '--json']);
  if (r.status !== 0) throw new Error(`list --orphans: ${r.stderr}`);
  return (JSON.parse(r.stdout) as Array<{ key: number }>).map((s) => s.key);
}

export function keyExists(key: number): { shm: boolean; sem: boolean } {
  const has = (f: () => void) => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  return { shm: has(() => sys.shmget(key, 0, 0)), sem: has(() => sys.semget(key, 0, 0)) };
}

// ---- prerequisites ----
//
// A test that needs a tool or root says so with requires(): outside CI it is skipped, with the reason printed (node's
// runner shows it after "# SKIP"); in CI (CI=true) a missing prerequisite fails the run instead, so that a green CI
// means that the whole suite ran.

const has = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
export const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
export const isRoot = process.getuid?.() === 0;
export const haveCc = has('cc', '--version');
export const haveIpcs = has('ipcs', '-V');
export const haveTmux = has('tmux', '-V');
export const haveStrace = has('strace', '-V');
export const haveJq = has('jq', '--version');
export const haveGroff = has('groff', '--version');
export const haveSetpriv = has('setpriv', '--version');
/** util-linux's script(1): a command run on a pseudo-terminal, as at a terminal. */
export const haveScript = has('script', '--version');
/** Root with a working unshare(1): a test can run in an IPC namespace of its own, where only it makes segments. */
export const canUnshareIpc = isRoot && has('unshare', '--ipc', 'true');
/** Root with setpriv: a test can run a command as another user. */
export const canDrop = isRoot && haveSetpriv;

/** The prerequisites by name, for requires(). */
export const PREREQ = {
  root: [isRoot, 'needs root'],
  cc: [haveCc, 'needs cc (a C compiler)'],
  ipcs: [haveIpcs, "needs util-linux's ipcs"],
  tmux: [haveTmux, 'needs tmux'],
  strace: [haveStrace, 'needs strace'],
  jq: [haveJq, 'needs jq'],
  groff: [haveGroff, 'needs groff'],
  setpriv: [canDrop, 'needs root and setpriv'],
  unshare: [canUnshareIpc, 'needs root and unshare --ipc'],
  script: [haveScript, "needs util-linux's script"],
} as const satisfies Record<string, readonly [boolean, string]>;

/**
 * The skip option of a test that needs the named prerequisites (why: what the test does with them). false when all
 * are there. Where one is missing it returns the reason, so the test is skipped, except in CI: there it registers a
 * test that fails, naming what is missing, so that the run fails.
 */
export function requires(needs: ReadonlyArray<keyof typeof PREREQ>, why?: string): string | false {
  const missing = needs.filter((n) => !PREREQ[n][0]).map((n) => PREREQ[n][1]);
  if (missing.length === 0) return false;
  const reason = `${missing.join(', ')}${why ? `: ${why}` : ''}`;
  if (inCi) {
    test(`prerequisite missing in CI: ${reason}`, () => {
      throw new Error(`CI=true and a prerequisite is missing (${reason}): install it, or run outside CI to skip`);
    });
  }
  return reason;
}

/** bin/shmkit as a shell command line, for scripts the tests run with sh. */
export const SHMKIT_SH = `'${process.execPath}' '${BIN}'`;

/** Runs a sh script in an IPC namespace of its own (needs canUnshareIpc): nothing else makes or removes segments there. */
export function shInOwnIpcNamespace(script: string, env?: NodeJS.ProcessEnv): Run {
  return run('unshare', ['--ipc', 'sh', '-c', script], env ? { env } : {});
}

/** A temporary directory removed at process exit. */
export function tempDir(prefix = 'shmkit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (tempDirs.size === 0) process.on('exit', () => {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
  tempDirs.add(dir);
  return dir;
}
const tempDirs = new Set<string>();

/** Compiles a C source with cc; throws with the compiler's output on failure. */
export function compileC(source: string, name: string, dir = tempDir(), extra: string[] = []): string {
  const src = join(dir, `${name}.c`);
  writeFileSync(src, source);
  const exe = join(dir, name);
  const r = spawnSync('cc', ['-O2', '-w', '-o', exe, src, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc failed for ${name}: ${r.stderr}`);
  return exe;
}

/** Where a pair of C programs with the seed's behaviour lives: the project's own, and the seed's originals. */
export interface SeedSource {
  /** What the tests are called after. */
  name: string;
  dir: string;
}

/** shmkit's own writer and reader with the seed's behaviour: always there, so the suite stands on its own. */
export const FIXTURE_SEED: SeedSource = { name: "shmkit's C writer and reader (test/fixtures/seed)", dir: join(ROOT, 'test', 'fixtures', 'seed') };
/** The tutorial's own programs, beside the project in ../shared/seed/ where the project's shared folder is. */
export const ORIGINAL_SEED: SeedSource = { name: "the seed's original C programs (../shared/seed)", dir: SEED };
export const haveOriginalSeed = existsSync(join(SEED, 'shm_write.c')) && existsSync(join(SEED, 'shm_read.c'));
/** The pairs to run the interoperation tests with: the project's own everywhere, the seed's originals where they are. */
export const SEED_SOURCES: SeedSource[] = haveOriginalSeed ? [FIXTURE_SEED, ORIGINAL_SEED] : [FIXTURE_SEED];

/**
 * A seed writer and reader (shm_write.c, shm_read.c from source.dir), compiled with cc as they are but for two things:
 * their sleep(3) is redirected to a shorter one (SEED_SLEEP_MS=N makes each sleep(3) last N ms), and their key is
 * swapped in the source text for the one given (-DSHM_KEY would clash with the seed's own #define), so that parallel
 * tests do not meet.
 */
export function compileSeed(key = 0x1234, source: SeedSource = FIXTURE_SEED): { writer: string; reader: string } {
  const dir = tempDir('shmkit-seed-');
  writeFileSync(join(dir, 'fastsleep.h'), 'unsigned int test_sleep(unsigned int);\n');
  writeFileSync(join(dir, 'fastsleep.c'), `#include <stdlib.h>
#include <unistd.h>
unsigned int test_sleep(unsigned int s) {
  const char *ms = getenv("SEED_SLEEP_MS");
  long per3 = ms ? atol(ms) : 3000;
  usleep((useconds_t)(per3 * 1000L * s / 3));
  return 0;
}
`);
  const build = (name: string) => {
    const file = join(source.dir, `${name}.c`);
    let text = readFileSync(file, 'utf8');
    if (key !== 0x1234) {
      const swapped = text.replace('#define SHM_KEY 0x1234', `#define SHM_KEY ${hex(key)}`);
      if (swapped === text) throw new Error(`${file} has no '#define SHM_KEY 0x1234' to give another key`);
      text = swapped;
    }
    const src = join(dir, `${name}.c`);
    writeFileSync(src, text);
    const exe = join(dir, name);
    const r = spawnSync('cc', ['-O2', '-w', '-include', join(dir, 'fastsleep.h'), '-Dsleep=test_sleep', '-o', exe, src, join(dir, 'fastsleep.c')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cc ${name}: ${r.stderr}`);
    return exe;
  };
  return { writer: build('shm_write'), reader: build('shm_read') };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A process that prints one line when it is ready and then holds on until stop() kills it (or the file ends). */
async function holder(command: string, args: string[]): Promise<{ pid: number; ready: string; stop: () => Promise<void> }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const ready = await new Promise<string>((res, rej) => {
    child.stdout!.once('data', (d: Buffer) => res(d.toString()));
    child.once('exit', (c) => rej(new Error(`holder exited ${c}`)));
  });
  return {
    pid: child.pid!,
    ready,
    stop: () => new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGKILL');
    }),
  };
}

/**
 * A real process that attaches the given segments (each id as many times as it is listed) and holds them until
 * stop() kills it. It uses the built library (dist/), which npm test builds first.
 */
export async function holdSegments(ids: number[]): Promise<{ pid: number; stop: () => Promise<void> }> {
  const code = `
    const { Attachment } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
    const held = process.argv.slice(1).map((id) => Attachment.attach({ id: Number(id) }, { readonly: true }));
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1 << 30);
  `;
  const { pid, stop } = await holder(process.execPath, ['--input-type=module', '-e', code, ...ids.map(String)]);
  return { pid, stop };
}

/**
 * A process in an IPC namespace of its own (needs canUnshareIpc) that creates a private segment there, attaches it
 * and holds it until stop() kills it; the namespace, and the segment with it, go when it does. In a fresh namespace
 * the first segment's id is 0, so two of these hold two different segments with the same id.
 */
export async function holdInOwnIpcNamespace(): Promise<{ pid: number; id: number; stop: () => Promise<void> }> {
  const code = `
    const { Attachment, createSegment } = await import(${JSON.stringify(join(ROOT, 'dist', 'index.js'))});
    const { id } = createSegment({ key: 'private', size: 4096n });
    const held = Attachment.attach({ id }, { readonly: true });
    process.stdout.write('ready ' + id + '\\n');
    setInterval(() => {}, 1 << 30);
  `;
  const { pid, ready, stop } = await holder('unshare', ['--ipc', process.execPath, '--input-type=module', '-e', code]);
  return { pid, id: Number(/^ready (\d+)/.exec(ready)?.[1]), stop };
}

/** Waits until cond() holds, checking every 20 ms; fails after timeoutMs. */
export async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
