// The scalar types of C on x86_64 (System V ABI) as the layout parser knows them: their size, alignment and sign,
// by the words that spell them, and the words that are refused with a reason.

export interface Scalar {
  kind: 'int' | 'float' | 'bool' | 'pointer';
  /** The C spelling, for messages and the readable form. */
  name: string;
  size: number;
  align: number;
  signed: boolean;
}

const int = (name: string, size: number, signed: boolean): Scalar => ({ kind: 'int', name, size, align: size, signed });

/** The scalar types by their words, sorted (signed/unsigned and int are folded in by canonical()). */
export const SCALARS = new Map<string, Scalar>([
  ['char', int('char', 1, true)], ['signed char', int('signed char', 1, true)], ['unsigned char', int('unsigned char', 1, false)],
  ['short', int('short', 2, true)], ['unsigned short', int('unsigned short', 2, false)],
  ['int', int('int', 4, true)], ['unsigned int', int('unsigned int', 4, false)],
  ['long', int('long', 8, true)], ['unsigned long', int('unsigned long', 8, false)],
  ['long long', int('long long', 8, true)], ['unsigned long long', int('unsigned long long', 8, false)],
  ['int8_t', int('int8_t', 1, true)], ['uint8_t', int('uint8_t', 1, false)], ['int16_t', int('int16_t', 2, true)], ['uint16_t', int('uint16_t', 2, false)],
  ['int32_t', int('int32_t', 4, true)], ['uint32_t', int('uint32_t', 4, false)], ['int64_t', int('int64_t', 8, true)], ['uint64_t', int('uint64_t', 8, false)],
  ['size_t', int('size_t', 8, false)], ['ssize_t', int('ssize_t', 8, true)], ['pid_t', int('pid_t', 4, true)], ['uid_t', int('uid_t', 4, false)],
  ['gid_t', int('gid_t', 4, false)], ['key_t', int('key_t', 4, true)], ['off_t', int('off_t', 8, true)], ['time_t', int('time_t', 8, true)],
  ['intptr_t', int('intptr_t', 8, true)], ['uintptr_t', int('uintptr_t', 8, false)], ['ptrdiff_t', int('ptrdiff_t', 8, true)],
  ['float', { kind: 'float', name: 'float', size: 4, align: 4, signed: true }], ['double', { kind: 'float', name: 'double', size: 8, align: 8, signed: true }],
  ['bool', { kind: 'bool', name: 'bool', size: 1, align: 1, signed: false }], ['_Bool', { kind: 'bool', name: '_Bool', size: 1, align: 1, signed: false }],
]);

export const WORDS = new Set(['signed', 'unsigned', 'char', 'short', 'int', 'long']);
export const QUALIFIERS = new Set(['const', 'volatile']);
export const REFUSED: Record<string, string> = {
  union: 'unions are not supported', enum: 'enums are not supported (declare the member as int)', typedef: 'typedef is not supported (write the struct itself)',
  __attribute__: 'attributes (packed, aligned) are not supported: the layout would not be the one the compiler makes',
  'long double': 'long double is not supported',
};

/** The canonical spelling of a scalar's words: 'unsigned' alone is unsigned int, 'long int' is long, ... */
export function canonical(words: string[]): string {
  if (words.length === 1 && !WORDS.has(words[0] as string)) return words[0] as string;
  const has = (w: string) => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  const unsigned = has('unsigned');
  const signed = has('signed');
  let base: string;
  if (has('char')) base = 'char';
  else if (has('short')) base = 'short';
  else if (longs === 2) base = 'long long';
  else if (longs === 1) base = has('double') ? 'long double' : 'long';
  else base = 'int';
  if (base === 'char') return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  return unsigned ? `unsigned ${base}` : base;
}

