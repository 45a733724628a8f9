// A hex dump in xxd's default layout: "%08x: " offset, 8 groups of 2 bytes, two spaces, the printable characters.
// Offsets are the segment's own, as `xxd -s OFFSET` numbers them. Written straight into bytes, a row at a time
// from tables made once: string building cost about 10 times xxd's time on 64 MiB.

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** The two hex digits of each byte, and its character in the right-hand column ('.' where not printable). */
const PAIRS = new Uint16Array(256);
const SHOWN = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  PAIRS[b] = (HEX[b >> 4] as number) | ((HEX[b & 15] as number) << 8);
  SHOWN[b] = b >= 0x20 && b <= 0x7e ? b : 0x2e;
}
const ROW = 68; // 8 + ': ' + 39 + '  ' + 16 + '\n'

let scratch = Buffer.alloc(0);

/**
 * The dump of bytes as they would sit at startOffset. The Buffer returned is reused by the next call (a fresh one
 * for each MiB cost page faults that made the dump half as fast): write it out before calling again.
 */
export function hexDump(bytes: Uint8Array, startOffset: number): Buffer {
  if (startOffset + bytes.length > 0xffffffff) return Buffer.from(hexLines(bytes, startOffset), 'latin1');
  const rows = Math.ceil(bytes.length / 16);
  if (scratch.length < rows * ROW) scratch = Buffer.allocUnsafe(rows * ROW);
  const out = scratch;
  let o = 0;
  for (let i = 0; i < bytes.length; i += 16) {
    const off = startOffset + i;
    for (let d = 7; d >= 0; d--) out[o + 7 - d] = HEX[(off >>> (d * 4)) & 15] as number;
    out[o + 8] = 0x3a;
    out[o + 9] = 0x20;
    const n = Math.min(16, bytes.length - i);
    let h = o + 10;
    if (n === 16) {
      // A whole row, the common case: 8 groups of two bytes, then the characters, without a test per byte.
      for (let j = 0; j < 16; j += 2) {
        const p = PAIRS[bytes[i + j] as number] as number;
        const q = PAIRS[bytes[i + j + 1] as number] as number;
        out[h] = p & 0xff;
        out[h + 1] = p >> 8;
        out[h + 2] = q & 0xff;
        out[h + 3] = q >> 8;
        out[h + 4] = 0x20;
        h += 5;
      }
      out[h] = 0x20; // the 8th group's space and one more: two before the characters
      h += 1;
      for (let j = 0; j < 16; j++) out[h + j] = SHOWN[bytes[i + j] as number] as number;
      out[h + 16] = 0x0a;
      o = h + 17;
      continue;
    }
    for (let j = 0; j < 16; j++) {
      if (j < n) {
        const p = PAIRS[bytes[i + j] as number] as number;
        out[h] = p & 0xff;
        out[h + 1] = p >> 8;
      } else {
        out[h] = 0x20;
        out[h + 1] = 0x20;
      }
      h += 2;
      if (j % 2 === 1 && j < 15) out[h++] = 0x20;
    }
    out[h] = 0x20;
    out[h + 1] = 0x20;
    h += 2;
    for (let j = 0; j < n; j++) out[h++] = SHOWN[bytes[i + j] as number] as number;
    out[h++] = 0x0a;
    o = h;
  }
  return out.subarray(0, o);
}

/** The same dump as text, the general way (offsets past 32 bits, as xxd widens them). */
export function hexLines(bytes: Uint8Array, startOffset: number): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, bytes.length));
    let hex = '';
    let ascii = '';
    for (let j = 0; j < row.length; j++) {
      const b = row[j] as number;
      hex += b.toString(16).padStart(2, '0');
      if (j % 2 === 1 && j < 15) hex += ' ';
      ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    }
    out += (startOffset + i).toString(16).padStart(8, '0') + ': ' + hex.padEnd(39, ' ') + '  ' + ascii + '\n';
  }
  return out;
}
