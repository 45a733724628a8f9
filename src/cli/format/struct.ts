// A decoded struct for people (one member a line, nested members indented under their name) and as JSON (exact
// integers: bigints as their digits).
import type { Value } from '../../core/decode.js';
import type { Json } from './json.js';

const isText = (v: Value): v is { text: string; length: number; size: number } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'text' in v && 'size' in v;
const isAddress = (v: Value): v is { address: bigint } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'address' in v;
const isScalar = (v: Value) => typeof v !== 'object' || isText(v) || isAddress(v);

function scalarText(v: Value): string {
  if (isText(v)) return `${JSON.stringify(v.text)} (${v.length} of ${v.size} bytes)`;
  if (isAddress(v)) return `0x${v.address.toString(16)}`;
  return String(v);
}

/** The readable form: `name = value`, arrays of scalars on one line, structs and arrays of them as indented blocks. */
export function structText(values: { [member: string]: Value }, indent = ''): string {
  let out = '';
  const block = (name: string, v: Value, pad: string) => {
    if (isScalar(v)) {
      out += `${pad}${name} = ${scalarText(v)}\n`;
    } else if (Array.isArray(v)) {
      if (v.every(isScalar)) out += `${pad}${name} = [${v.map(scalarText).join(', ')}]\n`;
      else for (let i = 0; i < v.length; i++) block(`${name}[${i}]`, v[i] as Value, pad);
    } else {
      out += `${pad}${name}:\n`;
      for (const [k, e] of Object.entries(v)) block(k, e, pad + '  ');
    }
  };
  for (const [k, v] of Object.entries(values)) block(k, v, indent);
  return out;
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
