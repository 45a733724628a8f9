// A decoded struct for people (one member a line, nested members indented under their name) and as JSON (exact
// integers: bigints as their digits).
import type { Value } from '../../core/decode.js';
import type { Json } from './json.js';

const isText = (v: Value): v is { text: string; length: number; size: number } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'text' in v && 'size' in v;
const isAddress = (v: Value): v is { address: bigint } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'address' in v;
const isScalar = (v: Value) => typeof v !== 'object' || isText(v) || isAddress(v);

export function scalarText(v: Value): string {
  if (isText(v)) return `${JSON.stringify(v.text)} (${v.length} of ${v.size} bytes)`;
  if (isAddress(v)) return `0x${v.address.toString(16)}`;
  return String(v);
}

/** The readable form's lines, each with the path of the member it shows (arrays of scalars: the array's path). */
export function structLines(values: { [member: string]: Value }, indent = ''): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const block = (name: string, path: string, v: Value, pad: string) => {
    if (isScalar(v)) {
      out.push({ path, text: `${pad}${name} = ${scalarText(v)}` });
    } else if (Array.isArray(v)) {
      if (v.every(isScalar)) out.push({ path, text: `${pad}${name} = [${v.map(scalarText).join(', ')}]` });
      else for (let i = 0; i < v.length; i++) block(`${name}[${i}]`, `${path}[${i}]`, v[i] as Value, pad);
    } else {
      out.push({ path, text: `${pad}${name}:` });
      for (const [k, e] of Object.entries(v)) block(k, `${path}.${k}`, e, pad + '  ');
    }
  };
  for (const [k, v] of Object.entries(values)) block(k, k, v, indent);
  return out;
}

/** The readable form: `name = value`, arrays of scalars on one line, structs and arrays of them as indented blocks. */
export function structText(values: { [member: string]: Value }, indent = ''): string {
  return structLines(values, indent).map((l) => `${l.text}\n`).join('');
}

/** A value in one short piece, for a line of changes: long texts are cut. */
export function shortValue(v: Value, max = 40): string {
  const t = scalarText(v);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The values as JSON: char arrays as {text, length, size}, pointers as {address}. */
export function structJson(v: Value): Json {
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(structJson);
  if (isText(v)) return { text: v.text, length: v.length, size: v.size };
  if (isAddress(v)) return { address: v.address };
  const o: { [k: string]: Json } = {};
  for (const [k, e] of Object.entries(v)) o[k] = structJson(e);
  return o;
}
