// A layout's values from the bytes of a segment: integers as numbers (bigints where 64 bits can pass 2^53), floats,
// bools, pointers as addresses, char arrays as the text before their first NUL with its length, arrays and nested
// structs as arrays and objects. Little-endian, as x86_64 stores them.
import type { Attachment } from './attachment.js';
import type { CType, StructType } from './cstruct.js';
import { InputError } from './errors.js';

/** A decoded value. */
export type Value =
  | number
  | bigint
  | boolean
  | { address: bigint }
  | { text: string; length: number; size: number }
  | Value[]
  | { [member: string]: Value };

/** A plain char array is text; unsigned char, signed char and int8_t arrays are bytes, numbers each. */
const isChar = (t: CType) => t.kind === 'int' && t.name === 'char';

function value(b: Buffer, at: number, t: CType): Value {
  switch (t.kind) {
    case 'int':
      switch (t.size) {
        case 1: return t.signed ? b.readInt8(at) : b.readUInt8(at);
        case 2: return t.signed ? b.readInt16LE(at) : b.readUInt16LE(at);
        case 4: return t.signed ? b.readInt32LE(at) : b.readUInt32LE(at);
        default: return t.signed ? b.readBigInt64LE(at) : b.readBigUInt64LE(at);
      }
    case 'float':
      return t.size === 4 ? b.readFloatLE(at) : b.readDoubleLE(at);
    case 'bool':
      return b[at] !== 0;
    case 'pointer':
      return { address: b.readBigUInt64LE(at) };
    case 'array': {
      if (isChar(t.of)) {
        const nul = b.indexOf(0, at);
        const length = nul < 0 || nul >= at + t.length ? t.length : nul - at;
        return { text: b.toString('utf8', at, at + length), length, size: t.length };
      }
      const out: Value[] = [];
      for (let i = 0; i < t.length; i++) out.push(value(b, at + i * t.of.size, t.of));
      return out;
    }
    case 'struct': {
      const o: { [member: string]: Value } = {};
      for (const m of t.members) o[m.name] = value(b, at + m.offset, m.type);
      return o;
    }
  }
}

/** The struct's values from a buffer holding at least its size in bytes. */
export function decodeBytes(bytes: Buffer, layout: StructType): { [member: string]: Value } {
  if (bytes.length < layout.size) throw new InputError(`the struct is ${layout.size} bytes, and only ${bytes.length} are there`);
  return value(bytes, 0, layout) as { [member: string]: Value };
}

/**
 * The struct at offset in an attached segment, read in one copy (the bytes are the segment's at one moment, as far as
 * a copy can be: a writer may change them while they are copied). A struct that does not fit is bad input.
 */
export function decode(attachment: Attachment, layout: StructType, offset = 0): { [member: string]: Value } {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + layout.size > attachment.size) {
    throw new InputError(`a struct of ${layout.size} bytes at offset ${offset} does not fit segment ${attachment.id} of ${attachment.size} bytes`);
  }
  return decodeBytes(attachment.read(offset, layout.size), layout);
}
