// Formats that stream: read --format hex against xxd on the same bytes (the output compared too), read --format text
// against raw on a segment of text, and how soon text's first bytes come out of a segment whose NUL is far away.
// Then memory: the peak of each command's own memory (RssAnon) on a small and a large segment, against the growth
// of the input.
import { spawn } from 'node:child_process';
import { BIN, fmt, interleave, node, peakAnon, q, quick, row, timeSh } from './lib.js';

const MiB = 2 ** 20;

/** A segment of size bytes made by lib, filled with the byte c (its pages exist afterwards), and the last byte end. */
function filled(lib, size, c, end) {
  const seg = lib.createSegment({ key: 'private', size: BigInt(size), mode: 0o600 });
  const a = lib.Attachment.attach({ id: seg.id });
  try {
    const piece = Buffer.alloc(Math.min(size, 4 * MiB), c);
    for (let at = 0; at < size; at += piece.length) a.write(at, piece.subarray(0, Math.min(piece.length, size - at)));
    if (end !== undefined) a.write(size - 1, Buffer.from([end]));
  } finally {
    a.detach();
  }
  return seg.id;
}

export function formats(dir, lib) {
  const n = quick ? 3 : 5;
  const ids = [];
  try {
    // hex: random bytes, so that no line is all zeros (xxd -a is not the default either way).
    const hexSize = quick ? 8 * MiB : 64 * MiB;
    const src = `${dir}/hex-src`;
    timeSh(`head -c ${hexSize} /dev/urandom > ${q(src)}`);
    const hexId = lib.createSegment({ key: 'private', size: BigInt(hexSize), mode: 0o600 }).id;
    ids.push(hexId);
    timeSh(`${q(node)} ${q(BIN)} attach-write --id ${hexId} --stdin --stream < ${q(src)}`);
    const same = timeSh(`test "$(${q(node)} ${q(BIN)} read --id ${hexId} --format hex | md5sum)" = "$(xxd < ${q(src)} | md5sum)"`) >= 0;
    const [xxd, hex] = interleave(n, [
      () => timeSh(`xxd < ${q(src)} > /dev/null`),
      () => timeSh(`${q(node)} ${q(BIN)} read --id ${hexId} --format hex > /dev/null`),
    ]);
    const mb = hexSize / MiB;
    row('formats', `read --format hex, ${mb} MiB`, fmt(mb / (hex / 1000), 'MiB/s'), 'xxd, the same bytes', fmt(mb / (xxd / 1000), 'MiB/s'), `${(xxd / hex).toFixed(2)}x speed`, '>= 1.0x', xxd / hex >= 1.0,
      same ? 'output identical to xxd\'s' : 'OUTPUT DIFFERS from xxd\'s');

    // text against raw: a segment of text with its NUL at the end.
    const textSize = quick ? 16 * MiB : 256 * MiB;
    const textId = filled(lib, textSize, 0x41, 0);
    ids.push(textId);
    // Both into a file that holds as many bytes already (1<>), as bandwidth does: /dev/null would take raw's bytes
    // without a copy.
    const dst = `${dir}/text-dst`;
    timeSh(`head -c ${textSize + MiB} /dev/zero > ${q(dst)}`);
    const [raw, text] = interleave(n, [
      () => timeSh(`${q(node)} ${q(BIN)} read --id ${textId} --format raw 1<> ${q(dst)}`),
      () => timeSh(`${q(node)} ${q(BIN)} read --id ${textId} --format text 1<> ${q(dst)}`),
    ]);
    const tm = textSize / MiB;
    row('formats', `read --format text, ${tm} MiB`, fmt(tm / (text / 1000), 'MiB/s'), 'read --format raw', fmt(tm / (raw / 1000), 'MiB/s'), `${(raw / text).toFixed(2)}x speed`, '>= 0.8x', raw / text >= 0.8,
      raw / text >= 0.8 ? '' : 'text must read every byte to find the NUL, through our mapping (memchr at ~2 GB/s here, TLB misses under nested paging), where raw lets the kernel copy page to page: it would take a NUL search the kernel does, which no call offers');

    // The first 10 bytes of a segment with no NUL at all: text must not scan it all first.
    const farSize = quick ? 256 * MiB : 2048 * MiB;
    const farId = filled(lib, farSize, 0x41);
    ids.push(farId);
    const [rawHead, textHead] = interleave(n, [
      () => timeSh(`${q(node)} ${q(BIN)} read --id ${farId} --format raw | head -c 10 > /dev/null`),
      () => timeSh(`${q(node)} ${q(BIN)} read --id ${farId} --format text | head -c 10 > /dev/null`),
    ]);
    row('formats', `read --format text | head -c 10, ${farSize / MiB} MiB, no NUL`, fmt(textHead, 'ms'), 'the same with raw', fmt(rawHead, 'ms'), `${(textHead / rawHead).toFixed(2)}x time`, '<= 1.2x', textHead / rawHead <= 1.2);
  } finally {
    for (const id of ids) lib.removeSegment({ id });
  }
}

export async function memory(dir, lib) {
  const small = quick ? 32 * MiB : 256 * MiB;
  const large = quick ? 256 * MiB : 4096 * MiB;
  const ids = [];
  try {
    const smallId = filled(lib, small, 0x41);
    ids.push(smallId);
    const largeId = filled(lib, large, 0x41);
    ids.push(largeId);
    const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
    const cases = [
      ['read --format raw', (id) => [BIN, 'read', '--id', String(id), '--format', 'raw'], 0],
      ['read --format hex (first 64 MiB out)', (id) => [BIN, 'read', '--id', String(id), '--format', 'hex'], 0, 'head'],
      ['dump', (id) => [BIN, 'dump', '--id', String(id)], 0],
      ['watch, no layout (2 s)', (id) => [BIN, 'watch', String(id), '--interval', '200ms'], 1, 'timeout'],
    ];
    for (const [name, argv, copies, how] of cases) {
      const peaks = [];
      for (const id of [smallId, largeId]) {
        const args = argv(id);
        let r;
        if (how === 'head') r = await peakAnonPiped(args);
        else if (how === 'timeout') r = await peakAnon(node, args, { stopAfterMs: 2000 });
        else r = await peakAnon(node, args, { stdout: 'ignore' });
        peaks.push(r.kib);
      }
      const growth = (peaks[1] - peaks[0]) * 1024;
      const input = large - small;
      const share = growth / input;
      row('memory', `${name}: ${small / MiB} MiB -> ${large / MiB} MiB`, `${mib(peaks[0])} -> ${mib(peaks[1])}`, 'the segment grows by', mib(input / 1024), `${share.toFixed(3)} of it`,
        copies ? `<= ${copies + 0.05} (old values held)` : '<= 0.05', share <= copies + 0.05,
        copies ? 'holds the sample before, for the old values a change shows: the output needs it' : '');
    }
  } finally {
    for (const id of ids) lib.removeSegment({ id });
  }
  void dir;
}

/** peakAnon of node with its stdout piped into head -c 64M (a reader that stops early, as a user's pipe does). */
async function peakAnonPiped(args) {
  const head = spawn('head', ['-c', String(64 * MiB)], { stdio: ['pipe', 'ignore', 'ignore'] });
  const r = await peakAnon(node, args, { stdout: head.stdin });
  head.stdin.destroy();
  return r;
}
