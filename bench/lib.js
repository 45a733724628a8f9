// What every part of the bench shares: timing a command, interleaving commands, the rows of the report, slopes, and
// compiling the C references. Plain JavaScript run by node (no build step), as the bench runs against dist/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const BIN = join(root, 'bin', 'shmkit.js');
export const node = process.execPath;
export const quick = process.env.BENCH_QUICK === '1';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time of one run of a shell command line, in ms (stdin, stdout and stderr as the command line sets them). */
export function timeSh(line, env = process.env) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/bin/sh', ['-c', line], { stdio: ['ignore', 'ignore', 'pipe'], env });
  const took = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${line} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return took;
}

/** Medians of n rounds, each running every command once in turn, so that drift hits them all alike. */
export function interleave(n, commands) {
  const times = commands.map(() => []);
  for (let i = 0; i < n; i++) {
    commands.forEach((c, j) => {
      times[j].push(c());
    });
  }
  return times.map(median);
}

/** Least-squares slope and intercept of y over x. */
export function fit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** A shell word. */
export const q = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;

/** The bench's rows: part, what, shmkit's figure, the reference and its figure, the ratio, the target, holds. */
export const rows = [];
/** The curves the plots draw: { title, x label, y label, series: [{ name, points: [[x, y]...] }] }. */
export const curves = [];

export function row(part, what, value, reference, refValue, ratio, target, holds, note = '') {
  rows.push({ part, what, value, reference, refValue, ratio, target, holds, note });
}

export const fmt = (x, unit) => `${x.toFixed(Math.abs(x) < 10 ? 2 : 1)} ${unit}`;

/** Compiles bench/NAME.c into dir; returns the executable's path. */
export function compile(name, dir) {
  const exe = join(dir, name);
  const r = spawnSync('cc', ['-O2', '-o', exe, join(root, 'bench', `${name}.c`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc ${name}.c: ${r.stderr}`);
  return exe;
}

/** A scratch folder, removed at the end of fn whatever happens. */
export async function withDir(base, fn) {
  const dir = mkdtempSync(join(base ?? tmpdir(), 'shmkit-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A process in an IPC namespace of its own that keeps it alive until release(): the namespace, and what is made in
 * it, go with that process. setup is a shell command line run inside first (sysctl, making segments).
 */
export function namespaceHolder(setup) {
  return new Promise((resolve, reject) => {
    const c = spawn('unshare', ['--ipc', '/bin/sh', '-c', `${setup} && echo ready && exec cat`], { stdio: ['pipe', 'pipe', 'inherit'] });
    c.once('error', reject);
    c.once('exit', (code) => reject(new Error(`namespace holder exited (${code}) before it was ready`)));
    c.stdout.once('data', () => {
      c.removeAllListeners('exit');
      resolve({
        pid: c.pid,
        /** A command line run inside the namespace. */
        sh: (line) => `nsenter --ipc=/proc/${c.pid}/ns/ipc /bin/sh -c ${q(line)}`,
        release: () => new Promise((done) => {
          c.once('exit', done);
          c.stdin.end();
        }),
      });
    });
  });
}

/**
 * The peak of a process's anonymous memory (RssAnon in /proc/PID/status: its heap and stacks, not the segment pages
 * it maps, which RSS would count too), sampled every 2 ms until it exits (or is stopped with SIGTERM after
 * stopAfterMs). stdout goes where stdio would send it.
 */
export function peakAnon(cmd, args, { stdout = 'ignore', env = process.env, stopAfterMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', stdout, 'pipe'], env });
    let peak = 0;
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    const sample = () => {
      try {
        const m = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${c.pid}/status`, 'latin1'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // gone already
      }
    };
    const timer = setInterval(sample, 2);
    const stop = stopAfterMs ? setTimeout(() => c.kill('SIGTERM'), stopAfterMs) : null;
    c.once('error', reject);
    c.once('exit', (code, signal) => {
      clearInterval(timer);
      if (stop) clearTimeout(stop);
      resolve({ kib: peak, code, signal, stderr: err });
    });
  });
}
