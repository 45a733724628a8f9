// Bandwidth: the cost of one more gigabyte. Every command copies between a segment and a tmpfs file at two sizes,
// the destination already holding as many bytes and opened without truncation (1<> FILE), so that both sides copy
// into pages that exist: fresh pages cost several times more here, and more or less from one minute to the next.
// The marginal rate (the slope between the two sizes) is compared with cat's, measured the same way in the same
// rounds; the whole command at the smaller size with node -e 0 plus 1.1 x cat.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { BIN, compile, curves, fmt, interleave, node, q, quick, row, timeSh } from './lib.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** SHA-256 over a buffer in this process: the rate a dump's digest (and restore's check) cannot beat. */
function sha256Rate() {
  const buf = Buffer.alloc(256 * MiB, 0x5a);
  createHash('sha256').update(buf.subarray(0, MiB)).digest();
  const t = process.hrtime.bigint();
  createHash('sha256').update(buf).digest();
  return (256 * MiB) / (Number(process.hrtime.bigint() - t) / 1e9);
}

export async function bandwidth(dir, lib) {
  const sizes = quick ? [64 * MiB, 192 * MiB] : [1 * GiB, 3 * GiB];
  const label = (s) => (s >= GiB ? `${s / GiB} GiB` : `${s / MiB} MiB`);
  const n = 3; // medians of 3: a round at 3 GiB takes a minute (restore)
  const copier = compile('shm-copy', dir);
  const segs = [];
  try {
    const files = sizes.map((size, i) => {
      const src = `${dir}/src${i}`;
      const dst = `${dir}/dst${i}`;
      timeSh(`head -c ${size} /dev/urandom > ${q(src)} && cat ${q(src)} > ${q(dst)} && head -c ${MiB} /dev/zero >> ${q(dst)}`);
      const key = 0x5b000000 + i;
      const seg = lib.createSegment({ key, size: BigInt(size), mode: 0o600 });
      segs.push(seg.id);
      // The segment's pages exist from the start: the first write of each round copies into them, as later ones do.
      timeSh(`${q(copier)} in ${seg.id} < ${q(src)}`);
      // What restore reads: a dump of exactly its length, made once, in the page cache of /tmp (tmpfs here holds
      // the sources and destinations, and its limit is half the memory).
      const dump = `${tmpdir()}/shmkit-bench-dump-${process.pid}-${i}`;
      timeSh(`${q(node)} ${q(BIN)} dump --id ${seg.id} > ${q(dump)}`);
      return { size, src, dst, dump, id: seg.id, key };
    });
    const commands = [
      ['cat', (f) => `cat ${q(f.src)} 1<> ${q(f.dst)}`],
      ['read --format raw', (f) => `${q(node)} ${q(BIN)} read --id ${f.id} --format raw 1<> ${q(f.dst)}`],
      ['  C: sendfile out', (f) => `${q(copier)} out ${f.id} 1<> ${q(f.dst)}`],
      ['attach-write --stdin --stream', (f) => `${q(node)} ${q(BIN)} attach-write --id ${f.id} --stdin --stream < ${q(f.src)}`],
      ['attach-write --stdin (staged)', (f) => `${q(node)} ${q(BIN)} attach-write --id ${f.id} --stdin < ${q(f.src)}`],
      ['  C: sendfile in', (f) => `${q(copier)} in ${f.id} < ${q(f.src)}`],
      ['dump', (f) => `${q(node)} ${q(BIN)} dump --id ${f.id} 1<> ${q(f.dst)}`],
      ['restore --force', (f) => `${q(node)} ${q(BIN)} restore --force ${q(f.dump)} > /dev/null`],
      ['node -e 0', () => `${q(node)} -e 0`],
    ];
    const runs = files.flatMap((f) => commands.map(([, line]) => () => timeSh(line(f))));
    const t = interleave(n, runs);
    const at = (c) => files.map((_, i) => t[i * commands.length + c]);
    const marginal = (c) => (at(c)[1] - at(c)[0]) / ((sizes[1] - sizes[0]) / GiB); // ms per GiB
    const cat = marginal(0);
    const bare = at(commands.length - 1)[0];
    const catWhole = at(0)[0];
    const hash = sha256Rate();
    for (let c = 1; c < commands.length - 1; c++) {
      const [name] = commands[c];
      const ratio = cat / marginal(c);
      const reference = name.startsWith('  C');
      const whole = at(c)[0];
      const floor = bare + 1.1 * catWhole;
      const note = name === 'dump' || name.startsWith('restore')
        ? `bound by SHA-256 at ${(hash / MiB).toFixed(0)} MiB/s here (node's crypto, this run) against cat's ${(GiB / MiB / (cat / 1000)).toFixed(0)} MiB/s, hashed after each piece is copied; it would take a digest an order faster (xxh3, BLAKE3: a new dump format version) and hashing beside the copy${name.startsWith('restore') ? '; restore --force also fills a fresh private segment first (~4.7 s/GiB of page faults here): a dump in a regular file could be checked first and then copied in with sendfile' : ''}`
        : name.includes('staged') ? 'stages the input in a memfd first, so that it goes in whole or not at all: fresh pages each run (--stream is the straight copy)' : '';
      row('bandwidth', `${name}: marginal`, fmt(marginal(c), 'ms/GiB'), 'cat: marginal', fmt(cat, 'ms/GiB'), `${ratio.toFixed(2)}x rate`,
        reference ? '(for reference)' : '>= 1.0x', reference ? null : ratio >= 1.0, note);
      if (!reference) {
        row('bandwidth', `${name}: whole ${label(sizes[0])}`, fmt(whole, 'ms'), 'node -e 0 + 1.1 x cat', fmt(floor, 'ms'), `${(whole / floor).toFixed(2)}x time`, '<= 1.0x', whole <= floor,
          whole <= floor || note ? '' : `${(whole - bare - catWhole).toFixed(0)} ms beyond node -e 0 and cat's copy: loading koffi's addon, attaching, and the copy's own rate`);
      }
    }
    curves.push({
      name: 'bandwidth', title: `Copying a segment (${sizes.map(label).join(', ')})`, x: 'GiB', y: 'ms (log scale)', log: true,
      series: commands.map(([name], c) => ({ name: name.trim(), c })).filter(({ name }) => !name.startsWith('C:') && name !== 'node -e 0')
        .map(({ name, c }) => ({ name, reference: c === 0, points: sizes.map((s, j) => [s / GiB, at(c)[j]]) })),
    });
    // The copies must be right, not only fast: after the last round (restore of the first dump), the segment holds
    // the source's bytes.
    for (const f of files) {
      timeSh(`${q(node)} ${q(BIN)} read --id ${f.id} --format raw 1<> ${q(f.dst)}`);
      timeSh(`cmp -n ${f.size} ${q(f.src)} ${q(f.dst)}`);
    }
  } finally {
    for (const id of segs) lib.removeSegment({ id });
    timeSh(`rm -f ${q(tmpdir())}/shmkit-bench-dump-${process.pid}-*`);
  }
}
