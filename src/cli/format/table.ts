// Tables with cli-table3, which gets no colours of its own (head and border styles empty): cells are coloured with
// chalk, and only when colour is on.
import type { ChalkInstance } from 'chalk';

export async function renderTable(head: string[], rows: string[][], chalk: ChalkInstance, align?: Array<'left' | 'right'>): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: head.map((h) => chalk.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
    ...(align ? { colAligns: align } : {}),
  });
  for (const r of rows) table.push(r);
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}
