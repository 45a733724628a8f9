// Lockstep: blocks per second of writer --sync + reader --sync at --interval 0, against bench/sync-pair.c doing the
// same handshake the same way (SEM_UNDO tokens, 128 tries before sleeping), both readers printing every block as the
// seed's reader does to the same sink (/dev/null). shmkit's time includes both processes' start-up.
import { spawn, spawnSync } from 'node:child_process';
import { BIN, compile, fmt, median, node, quick, row } from './lib.js';

export async function lockstep(dir) {
  const count = quick ? 20000 : 200000;
  const n = quick ? 1 : 5;
  const exe = compile('sync-pair', dir);
  let keyNo = 0x7e5e0000 + (process.pid % 0x1000) * 16;
  const cPair = () => {
    const r = spawnSync(exe, [String(++keyNo), String(count), '128'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`sync-pair: ${r.stderr}`);
    const [, secs] = r.stderr.trim().split(' ');
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
      run(['reader', '--key', key, '--sync']),
    ]);
    if (!summary.includes(`${count} blocks: 0 missing, 0 duplicate, 0 torn`)) throw new Error(`reader: ${summary}`);
    return count / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const c = [];
  const m = [];
  for (let i = 0; i < n; i++) {
    c.push(cPair());
    m.push(await ours());
  }
  const [rc, rm] = [median(c), median(m)];
  const k = (x) => fmt(x / 1000, 'k blocks/s');
  row('lockstep', `writer+reader --sync, ${count} blocks`, k(rm), 'C pair, same handshake', k(rc), `${(rm / rc).toFixed(2)}x rate`, '>= 1.0x', rm / rc >= 1.0,
    rm / rc < 1.0 ? 'per block: 3-4 semop calls through koffi (~1.5 us each here against ~0.5 us from C), the block copied and queued for output, and two node start-ups; it would take fewer calls per block (a futex in the segment, which the seed\'s C programs and ipcs would not see)' : '');
}
