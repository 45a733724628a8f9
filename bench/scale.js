// Scale: the cost of one more segment. Three IPC namespaces, each with kernel.shmmni raised to 32768 and held by a
// process, with 2000, 8000 and 30000 segments; every command runs in each through nsenter, interleaved. The slope
// (least squares over the three counts) is the per-segment cost, which start-up and the JIT's warm-up do not touch.
import { spawnSync } from 'node:child_process';
import { BIN, compile, curves, fit, fmt, interleave, namespaceHolder, node, peakAnon, q, quick, row, timeSh } from './lib.js';

const TARGET = 0.5;

export async function scale(dir) {
  const counts = quick ? [500, 2000, 4000] : [2000, 8000, 30000];
  const n = quick ? 3 : 7;
  const make = compile('segments', dir);
  const holders = [];
  try {
    for (const count of counts) holders.push(await namespaceHolder(`sysctl -q -w kernel.shmmni=32768 && ${q(make)} ${count}`));
    const commands = [
      ['ipcs -m', 'ipcs', 'ipcs -m'],
      ['lsipc -m', 'lsipc', 'lsipc -m'],
      ['list --json', 'json', `${q(node)} ${q(BIN)} list --json`],
      ['list --format ipcs', 'ipcs format', `${q(node)} ${q(BIN)} list --format ipcs`],
      ['list (the table)', 'table', `NO_COLOR=1 ${q(node)} ${q(BIN)} list`],
    ];
    const out = `${dir}/scale.out`;
    const runs = holders.flatMap((h) => commands.map(([, , line]) => () => timeIn(h, `${line} > ${q(out)}`)));
    const t = interleave(n, runs);
    const at = (c) => holders.map((_, h) => t[h * commands.length + c]);
    const slope = (c) => fit(counts, at(c)).slope * 1000; // us per segment
    const ipcs = slope(0);
    const us = (x) => fmt(x, 'us/segment');
    row('scale', 'lsipc -m', us(slope(1)), 'ipcs -m', us(ipcs), `${(slope(1) / ipcs).toFixed(2)}x cost`, '(second reference)', null);
    for (let c = 2; c < commands.length; c++) {
      const ratio = slope(c) / ipcs;
      row('scale', commands[c][0], us(slope(c)), 'ipcs -m', us(ipcs), `${ratio.toFixed(2)}x cost`, `<= ${TARGET}x`, ratio <= TARGET,
        c === 4 && ratio > TARGET ? 'the widths need every row before the first is written, so the records are all held (the memory row below), and V8\'s young-generation GC copies them, in fresh pages; it would take node --max-semi-space-size=1 (21% off here: a flag, which a #! line cannot pass portably), or fixed widths as ipcs has' : '');
    }
    // Memory: each command's own peak (RssAnon) at the fewest and the most segments, against /proc/sysvipc/shm's growth.
    const first = holders[0];
    const last = holders[holders.length - 1];
    const procBytes = (h) => Number(spawnSync('nsenter', [`--ipc=/proc/${h.pid}/ns/ipc`, 'wc', '-c', '/proc/sysvipc/shm'], { encoding: 'utf8' }).stdout.split(' ')[0]);
    const input = procBytes(last) - procBytes(first);
    for (const [name, args, env] of [['list --json', ['list', '--json'], {}], ['list (the table)', ['list'], { NO_COLOR: '1' }]]) {
      const peaks = [];
      for (const h of [first, last]) peaks.push((await peakAnon('nsenter', [`--ipc=/proc/${h.pid}/ns/ipc`, node, BIN, ...args], { env: { ...process.env, ...env } })).kib);
      const share = ((peaks[1] - peaks[0]) * 1024) / input;
      const holds = name === 'list --json' ? (peaks[1] - peaks[0]) * 1024 <= 0.5 * input + 2 * 2 ** 20 : null; // 2 MiB: the heap's own steps
      row('memory', `${name}: ${counts[0]} -> ${counts[counts.length - 1]} segments`, `${(peaks[0] / 1024).toFixed(1)} -> ${(peaks[1] / 1024).toFixed(1)} MiB`,
        '/proc/sysvipc/shm grows by', `${(input / 2 ** 20).toFixed(1)} MiB`, `${share.toFixed(2)} of it`, holds === null ? '(holds the records: widths need all rows)' : '<= 0.5 (+2 MiB)', holds);
    }
    curves.push({
      name: 'scale', title: `Listing segments (${counts.join(', ')})`, x: 'segments', y: 'ms',
      series: commands.map(([name], c) => ({ name, reference: c < 2, points: counts.map((k, i) => [k, at(c)[i]]) })),
    });
    for (let i = 0; i < counts.length; i++) {
      row('scale', `  at ${counts[i]} segments`, commands.slice(2).map(([, short], j) => `${short} ${at(j + 2)[i].toFixed(0)}`).join(', ') + ' ms', 'ipcs -m', fmt(at(0)[i], 'ms'), '', '(the points)', null);
    }
  } finally {
    for (const h of holders) await h.release();
  }
}

function timeIn(holder, line) {
  return timeSh(holder.sh(line));
}
