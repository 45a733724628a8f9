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

/** The table as one string (what watch redraws, and a listing of several kinds joins). */
export async function renderTable(head: string[], rows: string[][], chalk: ChalkInstance, align?: Align[]): Promise<string> {
  const parts: string[] = [];
  await writeTable((text) => parts.push(text), head, rows, (r) => r, chalk, align);
  return parts.join('');
}

/**
 * The table of records, a line at a time, to write. Two passes over the records, the cells made in each and
 * dropped at once: the first finds the widths, the second writes. A listing of 30000 segments then keeps neither
 * 300000 cells nor one string of 2.5 MB alive, which made the garbage collector most of its time (the cells are
 * made twice instead, which costs less). The widths of cells that are not plain ASCII (a dimmed pid with its dagger,
 * a name in another script) are measured once each: such cells repeat from row to row, and string-width is slow.
 */
export async function writeTable<R>(write: (text: string) => void, head: string[], records: readonly R[], cellsOf: (r: R) => string[],
  chalk: ChalkInstance, align?: Align[]): Promise<void> {
  const { default: stringWidth } = await import('string-width');
  const measured = new Map<string, number>();
  const width = (cell: string) => {
    if (PLAIN.test(cell)) return cell.length;
    let w = measured.get(cell);
    if (w === undefined) measured.set(cell, (w = displayWidth(cell, stringWidth)));
    return w;
  };
  const widths = head.map(width);
  for (const r of records) {
    const cells = cellsOf(r);
    for (let i = 0; i < cells.length; i++) {
      const w = width(cells[i] as string);
      if (w > (widths[i] ?? 0)) widths[i] = w;
    }
  }
  const total = widths.reduce((a, b) => a + b, 0);
  const sep = total + 2 * (widths.length - 1) <= TABLE_WIDTH ? '  ' : ' ';
  const spaces = ' '.repeat(Math.max(0, ...widths));
  const line = (cells: string[]) => {
    let s = '';
    for (let i = 0; i < widths.length; i++) {
      const cell = cells[i] ?? '';
      const gap = spaces.slice(0, (widths[i] ?? 0) - width(cell));
      s += (align?.[i] === 'right' ? gap + cell : cell + gap) + sep;
    }
    return s.trimEnd() + '\n';
  };
  write(line(head.map((h) => chalk.bold(h))));
  for (const r of records) write(line(cellsOf(r)));
}
