// JSON with exact integers: bigints are written as their digits, never through a double.
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json | undefined };

export function toJson(value: Json, indent = 2): string {
  return write(value, indent, '');
}

function write(v: Json | undefined, indent: number, pad: string): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) return 'null';
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    default:
      break;
  }
  const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + write(x, indent, inner)).join(',' + nl) + nl + (indent > 0 ? pad : '') + ']';
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return '{' + nl + entries.map(([k, x]) => inner + JSON.stringify(k) + colon + write(x, indent, inner)).join(',' + nl) + nl + (indent > 0 ? pad : '') + '}';
}
