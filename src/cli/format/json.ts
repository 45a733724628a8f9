// JSON with exact integers: bigints are written as their digits, never through a double. Written into one array of
// parts and joined once, so that thousands of objects cost no more than they must.
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json | undefined };

/** indent 0: one line. */
export function toJson(value: Json, indent = 2, pad = ''): string {
  const out: string[] = [];
  emit(value, indent, pad, out);
  return out.join('');
}

function emit(v: Json | undefined, indent: number, pad: string, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'bigint':
      out.push(v.toString());
      return;
    case 'number':
      out.push(Number.isFinite(v) ? String(v) : 'null');
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(v));
      return;
    default:
      break;
  }
  const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
  const open = indent > 0 ? '\n' + inner : '';
  const sep = indent > 0 ? ',\n' + inner : ',';
  const close = indent > 0 ? '\n' + pad : '';
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', open);
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(sep);
      emit(v[i], indent, inner, out);
    }
    out.push(close, ']');
    return;
  }
  let first = true;
  for (const key in v) {
    const x = v[key];
    if (x === undefined) continue;
    out.push(first ? '{' + open : sep, JSON.stringify(key), indent > 0 ? ': ' : ':');
    first = false;
    emit(x, indent, inner, out);
  }
  out.push(first ? '{}' : close + '}');
}
