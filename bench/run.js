#!/usr/bin/env node
// npm run bench: shmkit's speed next to a reference measured in the same run, as a table of figures and ratios.
//   start-up   shmkit info --json, list --json (no segments)      vs node -e 0              target <= 1.25x
//   scale      list --json with 2000 segments, minus with none    vs the same for ipcs -m   target <= 1x
//   bandwidth  read --format raw / attach-write --stdin --stream of 1 GiB  vs cat, tmpfs to tmpfs    target >= 0.9x speed
//              (attach-write's default, which stages the input for all or nothing, is shown beside it)
//   lockstep   writer --sync + reader --sync, --interval 0        vs a C pair, same protocol target >= 0.8x rate
// As root where unshare works it runs in a private IPC namespace, so "no segments" is true and nothing else is touched.
// BENCH_QUICK=1 makes every part smaller (for a smoke run); BENCH_ONLY=startup,scale,bandwidth,lockstep picks parts.
// BENCH_BASELINE=DIR (another checkout, built) adds its start-up and scale rows, measured in the same interleaved runs,
// so that a change is seen side by side with what it changed: git worktree add /tmp/base REV && (cd /tmp/base &&
// npm ci) && BENCH_BASELINE=/tmp/base npm run bench.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Variables that make every node process do more at start-up are not part of what is measured: NODE_EXTRA_CA_CERTS
// (set on the project's VM) has node -e 0 read and parse a certificate bundle, ~40 ms of its ~110 ms there.
const unset = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].filter((v) => process.env[v] !== undefined);
for (const v of unset) delete process.env[v];

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(root, 'bin', 'shmkit.js');
const quick = process.env.BENCH_QUICK === '1';
const only = new Set((process.env.BENCH_ONLY ?? 'startup,scale,bandwidth,lockstep').split(','));
const baseline = process.env.BENCH_BASELINE ? join(process.env.BENCH_BASELINE, 'bin', 'shmkit.js') : null;
/** The baseline's name in the table: its commit. */
const baselineName = () => {
  const r = spawnSync('git', ['-C', process.env.BENCH_BASELINE, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return `baseline ${r.status === 0 ? r.stdout.trim() : process.env.BENCH_BASELINE}`;
};

if (process.env.SHMKIT_BENCH_IN_NS !== '1' && process.getuid?.() === 0 && spawnSync('unshare', ['--ipc', 'true']).status === 0) {
  const r = spawnSync('unshare', ['--ipc', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, SHMKIT_BENCH_IN_NS: '1' },
  });
  process.exit(r.status ?? 1);
}
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing: run npm run build first');
  process.exit(1);
}

const lib = await import(join(root, 'dist', 'index.js'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (ns) => Number(ns) / 1e6;

/** Wall time of one run of a command, in ms (stdout to a file or /dev/null). */
function timeOnce(cmd, args, { stdin = 'ignore', stdout = 'ignore' } = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: [stdin, stdout, 'pipe'] });
  const took = ms(process.hrtime.bigint() - t);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return took;
}

/** Median of n runs, interleaving the commands so that drift hits them all alike. */
function compare(n, commands) {
  const times = commands.map(() => []);
  for (let i = 0; i < n; i++) {
    commands.forEach((c, j) => {
      times[j].push(c());
    });
  }
  return times.map(median);
}

const rows = [];
const row = (part, what, value, reference, refValue, ratio, target, holds) => rows.push({ part, what, value, reference, refValue, ratio, target, holds });
const fmt = (x, unit) => `${x.toFixed(x < 10 ? 2 : 1)} ${unit}`;

const node = process.execPath;

// ---- start-up ----
if (only.has('startup')) {
  const n = quick ? 7 : 31;
  for (const args of [['info', '--json'], ['list', '--json']]) {
    const runs = [() => timeOnce(node, ['-e', '0']), () => timeOnce(node, [BIN, ...args])];
    if (baseline) runs.push(() => timeOnce(node, [baseline, ...args]));
    const [base, ours, theirs] = compare(n, runs);
    const ratio = ours / base;
    row('start-up', `shmkit ${args.join(' ')}`, fmt(ours, 'ms'), 'node -e 0', fmt(base, 'ms'), `${ratio.toFixed(2)}x time`, '<= 1.25x', ratio <= 1.25);
    if (baseline) {
      row('start-up', `${baselineName()}: ${args.join(' ')}`, fmt(theirs, 'ms'), 'node -e 0', fmt(base, 'ms'), `${(theirs / base).toFixed(2)}x time`, '<= 1.25x', theirs / base <= 1.25);
    }
  }
}

// ---- scale ----
// Two IPC namespaces, each held by a process: one empty, one with 2000 segments. Every command runs through nsenter into
// one or the other, interleaved, so that both sides pay the same wrapper and drift hits them alike.
if (only.has('scale')) {
  const n = quick ? 7 : 21;
  const count = quick ? 500 : 2000;
  const holder = (segments) => new Promise((resolve, reject) => {
    const c = spawn('unshare', ['--ipc', node, '--input-type=module', '-e', `
      const { createSegment } = await import(${JSON.stringify(join(root, 'dist', 'index.js'))});
      for (let i = 0; i < ${segments}; i++) createSegment({ key: 'private', size: 4096n, mode: 0o600 });
      process.stdout.write('ready\\n');
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0)); // the namespace, and its segments, go with this process`], { stdio: ['pipe', 'pipe', 'inherit'] });
    c.once('error', reject);
    c.stdout.once('data', () => resolve(c));
  });
  const canNsenter = process.getuid?.() === 0 && spawnSync('nsenter', ['--version']).status === 0;
  if (!canNsenter) {
    console.error('bench: scale needs root, unshare and nsenter; skipped');
  } else {
    const empty = await holder(0);
    const full = await holder(count);
    try {
      const inNs = (holderProc, cmd, args) => () => timeOnce('nsenter', [`--ipc=/proc/${holderProc.pid}/ns/ipc`, cmd, ...args]);
      const runs = [
        inNs(empty, node, [BIN, 'list', '--json']), inNs(full, node, [BIN, 'list', '--json']),
        inNs(empty, 'ipcs', ['-m']), inNs(full, 'ipcs', ['-m']),
      ];
      if (baseline) runs.push(inNs(empty, node, [baseline, 'list', '--json']), inNs(full, node, [baseline, 'list', '--json']));
      const [oursEmpty, oursFull, ipcsEmpty, ipcsFull, baseEmpty, baseFull] = compare(n, runs);
      const ours = oursFull - oursEmpty;
      const theirs = ipcsFull - ipcsEmpty;
      row('scale', `list --json: +${count} segments`, fmt(ours, 'ms'), `ipcs -m: +${count}`, fmt(theirs, 'ms'), `${(ours / theirs).toFixed(2)}x time`, '<= 1x', ours <= theirs);
      if (baseline) {
        const was = baseFull - baseEmpty;
        row('scale', `${baselineName()}: list --json +${count}`, fmt(was, 'ms'), `ipcs -m: +${count}`, fmt(theirs, 'ms'), `${(was / theirs).toFixed(2)}x time`, '<= 1x', was <= theirs);
      }
    } finally {
      empty.stdin.end();
      full.stdin.end();
    }
  }
}

// ---- bandwidth ----
if (only.has('bandwidth')) {
  const size = quick ? 64 << 20 : 1 << 30;
  const label = quick ? '64 MiB' : '1 GiB';
  const n = quick ? 3 : 7;
  const dir = mkdtempSync(join('/dev/shm', 'shmkit-bench-'));
  const src = join(dir, 'src');
  let id = -1;
  try {
    execFileSync('dd', ['if=/dev/urandom', `of=${src}`, 'bs=1M', `count=${size >> 20}`], { stdio: 'ignore' });
    id = lib.createSegment({ key: 'private', size: BigInt(size), mode: 0o600 }).id;
    const out = (name) => {
      const p = join(dir, name);
      rmSync(p, { force: true });
      return p;
    };
    const catOnce = () => {
      const p = out('cat');
      return timeOnce('sh', ['-c', `cat '${src}' > '${p}'`]);
    };
    const writeOnce = () => timeOnce('sh', ['-c', `'${node}' '${BIN}' attach-write --id ${id} --stdin < '${src}'`]);
    // The default stages the input first (all or nothing, whatever the input does: a second copy); --stream does not.
    const streamOnce = () => timeOnce('sh', ['-c', `'${node}' '${BIN}' attach-write --id ${id} --stdin --stream < '${src}'`]);
    const readOnce = () => {
      const p = out('read');
      return timeOnce('sh', ['-c', `'${node}' '${BIN}' read --id ${id} --format raw > '${p}'`]);
    };
    // The same system calls from C (bench/shm-copy.c), and node -e 0: how fast the kernel moves a segment here, and
    // what a Node process costs before it does anything. Their sum is the best a command line on Node can do.
    const copier = join(dir, 'shm-copy');
    const cc = spawnSync('cc', ['-O2', '-o', copier, join(root, 'bench', 'shm-copy.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cc: ${cc.stderr}`);
    const cReadOnce = () => {
      const p = out('c-read');
      return timeOnce('sh', ['-c', `'${copier}' out ${id} > '${p}'`]);
    };
    const cWriteOnce = () => timeOnce('sh', ['-c', `'${copier}' in ${id} < '${src}'`]);
    const nodeOnce = () => timeOnce(node, ['-e', '0']);
    const [cat, write, stream, read, cWrite, cRead, bare] = compare(n, [catOnce, writeOnce, streamOnce, readOnce, cWriteOnce, cReadOnce, nodeOnce]);
    // The copies must be right, not only fast.
    for (const name of ['read', 'c-read']) {
      if (spawnSync('cmp', [src, join(dir, name)]).status !== 0) throw new Error(`${name}: the copy differs from the file`);
    }
    const speed = (t) => (size / (1 << 20)) / (t / 1000);
    const ref = ['cat tmpfs->tmpfs', fmt(speed(cat), 'MiB/s')];
    row('bandwidth', `read --format raw, ${label}`, fmt(speed(read), 'MiB/s'), ...ref, `${(cat / read).toFixed(2)}x speed`, '>= 0.9x', cat / read >= 0.9);
    row('bandwidth', `  the same calls in C`, fmt(speed(cRead), 'MiB/s'), ...ref, `${(cat / cRead).toFixed(2)}x speed`, '(for reference)', null);
    row('bandwidth', `  C + node -e 0 (${bare.toFixed(0)} ms)`, fmt(speed(cRead + bare), 'MiB/s'), ...ref, `${(cat / (cRead + bare)).toFixed(2)}x speed`, '(Node floor)', null);
    row('bandwidth', `attach-write --stdin --stream, ${label}`, fmt(speed(stream), 'MiB/s'), ...ref, `${(cat / stream).toFixed(2)}x speed`, '>= 0.9x', cat / stream >= 0.9);
    row('bandwidth', `attach-write --stdin (staged), ${label}`, fmt(speed(write), 'MiB/s'), ...ref, `${(cat / write).toFixed(2)}x speed`, '(all or nothing)', null);
    row('bandwidth', `  the same calls in C`, fmt(speed(cWrite), 'MiB/s'), ...ref, `${(cat / cWrite).toFixed(2)}x speed`, '(for reference)', null);
    row('bandwidth', `  C + node -e 0 (${bare.toFixed(0)} ms)`, fmt(speed(cWrite + bare), 'MiB/s'), ...ref, `${(cat / (cWrite + bare)).toFixed(2)}x speed`, '(Node floor)', null);
  } finally {
    if (id >= 0) lib.removeSegment({ id });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- lockstep ----
if (only.has('lockstep')) {
  const count = quick ? 20000 : 200000;
  const n = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'shmkit-bench-'));
  try {
    const exe = join(dir, 'sync-pair');
    const cc = spawnSync('cc', ['-O2', '-o', exe, join(root, 'bench', 'sync-pair.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cc: ${cc.stderr}`);
    let keyNo = 0x7e5e0000;
    const cPair = (spins) => {
      const out = execFileSync(exe, [String(++keyNo), String(count), String(spins)], { encoding: 'utf8' });
      const [, secs] = out.trim().split(' ');
      return count / Number(secs);
    };
    const ours = async () => {
      const key = '0x' + (++keyNo).toString(16);
      const t = process.hrtime.bigint();
      const run = (args) => new Promise((res, rej) => {
        const c = spawn(node, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        c.stderr.on('data', (d) => (err += d));
        c.on('close', (code) => (code === 0 ? res(err) : rej(new Error(`${args[0]} exited ${code}: ${err}`))));
      });
      const [, summary] = await Promise.all([
        run(['writer', '--key', key, '--sync', '--count', String(count), '--interval', '0']),
        run(['reader', '--key', key, '--sync', '--quiet']),
      ]);
      if (!summary.includes(`${count} blocks: 0 missing, 0 duplicate, 0 torn`)) throw new Error(`reader: ${summary}`);
      return count / (ms(process.hrtime.bigint() - t) / 1000);
    };
    const plain = [];
    const spun = [];
    const mine = [];
    for (let i = 0; i < n; i++) {
      plain.push(cPair(0));
      spun.push(cPair(128));
      mine.push(await ours());
    }
    const [p, s, m] = [median(plain), median(spun), median(mine)];
    const k = (x) => `${(x / 1000).toFixed(1)}k blocks/s`;
    row('lockstep', `writer+reader --sync (incl. start-up)`, k(m), 'C pair, blocking semop', k(p), `${(m / p).toFixed(2)}x rate`, '>= 0.8x', m / p >= 0.8);
    row('lockstep', `writer+reader --sync (incl. start-up)`, k(m), 'C pair, same 128 spins', k(s), `${(m / s).toFixed(2)}x rate`, '(for reference)', null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- report ----
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`shmkit bench: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}${quick ? ' (BENCH_QUICK)' : ''}` +
  (unset.length ? `; unset for every process: ${unset.join(', ')}` : ''));
const head = ['part', 'what', 'shmkit', 'reference', 'reference', 'ratio', 'target', 'holds'];
const table = rows.map((r) => [r.part, r.what, r.value, r.reference, r.refValue, r.ratio, r.target, r.holds === null ? '' : r.holds ? 'yes' : 'NO']);
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
for (const t of table) console.log(line(t));
