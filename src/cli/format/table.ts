// Tables for the terminal: columns as wide as their widest cell, two spaces between them (one where two would make a
// line wider than 80 columns), no borders, each line trimmed at its end; colour (chalk) only in the cells, and only when colour is on. The column widths are computed once
// over all rows and every row is then padded to them: linear in the rows (cli-table3's layout, used before, took 1.65 s
// for 2000 rows and 16 s for 8000). Widths are display widths, as string-width measures them (what cli-table3 used),
// with the escape sequences of colour left out, so the bytes are the ones cli-table3 printed. string-width is loaded
// with the first table: a command that prints JSON does not load it.
import type { ChalkInstance } from 'chalk';

// SGR sequences as chalk writes them, the only escape sequences a cell can hold (printable() escapes the rest).
const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;
const PLAIN = /^[\x20-\x7e]*$/;

/** The columns a cell takes on a terminal. */
function displayWidth(cell: string, stringWidth: (s: string) => number): number {
  if (PLAIN.test(cell)) return cell.length;
  return stringWidth(cell.replace(SGR, ''));
}

export type Align = 'left' | 'right';

/** The width a table keeps to where it can: a terminal's default. */
export const TABLE_WIDTH = 80;

export async function renderTable(head: string[], rows: string[][], chalk: ChalkInstance, align?: Align[]): Promise<string> {
  const { default: stringWidth } = await import('string-width');
  const width = (cell: string) => displayWidth(cell, stringWidth);
  const widths = head.map(width);
  const cellWidths = rows.map((r) => r.map((c, i) => {
    const w = width(c);
    if (w > (widths[i] ?? 0)) widths[i] = w;
    return w;
  }));
  const total = (gap: number) => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const sep = total(2) <= TABLE_WIDTH ? '  ' : ' ';
  const line = (cells: string[], cw: number[]) => {
    let s = '';
    for (let i = 0; i < widths.length; i++) {
      const gap = ' '.repeat((widths[i] ?? 0) - (cw[i] ?? 0));
      const cell = cells[i] ?? '';
      s += (align?.[i] === 'right' ? gap + cell : cell + gap) + sep;
    }
    return s.trimEnd() + '\n';
  };
  let out = line(head.map((h) => chalk.bold(h)), head.map(width));
  for (let r = 0; r < rows.length; r++) out += line(rows[r] ?? [], cellWidths[r] ?? []);
  return out;
}
