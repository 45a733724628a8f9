// A hex dump in xxd's default layout: "%08x: " offset, 8 groups of 2 bytes, two spaces, the printable characters.
// Offsets are the segment's own, as `xxd -s OFFSET` numbers them.
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
