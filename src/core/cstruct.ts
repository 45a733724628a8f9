// C declarations as a layout: the struct a program keeps in a segment, parsed from its own declarations and laid out
// as x86_64 System V compilers lay it out (each member at the next multiple of its alignment, a struct aligned to its
// strictest member and padded to a multiple of that). What is parsed: integer types with their unsigned and <stdint.h>
// forms, size_t, pid_t and their kin, float, double, bool, pointers, fixed arrays of any dimension, nested structs
// (named, anonymous, and arrays of them), #define'd integer constants for array sizes; comments and other
// preprocessor lines are skipped. What is not (bit-fields, unions, enums, packed or aligned attributes, flexible
// arrays) is refused with its line and column rather than laid out wrong.
import { InputError } from './errors.js';
import { QUALIFIERS, REFUSED, SCALARS, WORDS, canonical } from './ctypes.js';

export type { Scalar } from './ctypes.js';
import type { Scalar } from './ctypes.js';

export type CType =
  | Scalar
  | { kind: 'array'; of: CType; length: number; size: number; align: number }
  | { kind: 'struct'; name: string | null; members: Member[]; size: number; align: number; where?: { line: number; column: number } };

export interface Member {
  name: string;
  offset: number;
  type: CType;
}

export type StructType = Extract<CType, { kind: 'struct' }>;

interface Token {
  text: string;
  line: number;
  column: number;
}

function tokenize(spec: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  const at = (i: number) => ({ line, column: i - lineStart + 1 });
  for (let i = 0; i < spec.length;) {
    const c = spec[i] as string;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (spec.startsWith('//', i)) {
      while (i < spec.length && spec[i] !== '\n') i++;
      continue;
    }
    if (spec.startsWith('/*', i)) {
      const end = spec.indexOf('*/', i + 2);
      if (end < 0) throw bad(at(i), 'a comment that is never closed (*/)');
      for (let j = i; j < end; j++) if (spec[j] === '\n') {
        line++;
        lineStart = j + 1;
      }
      i = end + 2;
      continue;
    }
    if (c === '#') {
      // A preprocessor line: #define NAME NUMBER is kept as the tokens # define NAME NUMBER; the rest is skipped.
      const end = spec.indexOf('\n', i);
      const text = spec.slice(i, end < 0 ? spec.length : end);
      const m = /^#\s*define\s+([A-Za-z_]\w*)\s+(\S+)\s*$/.exec(text.replace(/\/\/.*$|\/\*.*?\*\//g, '').trimEnd());
      if (m) tokens.push({ text: '#define', ...at(i) }, { text: m[1] as string, ...at(i) }, { text: m[2] as string, ...at(i) }, { text: '\n', ...at(i) });
      i = end < 0 ? spec.length : end;
      continue;
    }
    const word = /^(?:[A-Za-z_]\w*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|.)/.exec(spec.slice(i, i + 64)) as RegExpExecArray;
    tokens.push({ text: word[0], ...at(i) });
    i += word[0].length;
  }
  return tokens;
}

function bad(where: { line: number; column: number }, message: string): InputError {
  return new InputError(`layout: line ${where.line}, column ${where.column}: ${message}`);
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

class Parser {
  #t: Token[];
  #i = 0;
  readonly defines = new Map<string, number>();
  readonly structs = new Map<string, StructType>();
  #end: Token;

  constructor(tokens: Token[], end: Token) {
    this.#t = tokens;
    this.#end = end;
  }

  peek(k = 0): Token {
    return this.#t[this.#i + k] ?? this.#end;
  }
  next(): Token {
    return this.#t[this.#i++] ?? this.#end;
  }
  atEnd(): boolean {
    return this.#i >= this.#t.length;
  }
  expect(text: string, after: string): Token {
    const t = this.next();
    if (t.text !== text) throw bad(t, `expected '${text}' ${after}, not ${t === this.#end ? 'the end' : `'${t.text}'`}`);
    return t;
  }

  /** #define NAME VALUE, where VALUE is an integer. */
  define(): void {
    this.next();
    const name = this.next();
    const value = this.next();
    this.next(); // the line's end
    const n = integerOf(value.text);
    if (n !== null) this.defines.set(name.text, n);
  }

  /** A type, from its first word: a scalar, or a struct (defined here, or by its tag earlier). */
  type(): CType {
    const first = this.peek();
    if (first.text === 'struct') return this.struct();
    const words: string[] = [];
    while (QUALIFIERS.has(this.peek().text)) this.next();
    while (WORDS.has(this.peek().text) || (words.length === 0 && SCALARS.has(this.peek().text))) {
      const w = this.next().text;
      words.push(w);
      if (SCALARS.has(w) && !WORDS.has(w)) break;
      while (QUALIFIERS.has(this.peek().text)) this.next();
    }
    if (words.includes('long') && this.peek().text === 'double') throw bad(first, REFUSED['long double'] as string);
    if (words.length === 0) {
      const t = this.peek();
      if (REFUSED[t.text]) throw bad(t, REFUSED[t.text] as string);
      throw bad(t, `'${t.text}' is not a type the layout knows (char, short, int, long, long long, their unsigned forms, int8_t..uint64_t, size_t, pid_t, float, double, bool, struct)`);
    }
    const name = canonical(words);
    const scalar = SCALARS.get(name);
    if (!scalar) throw bad(first, REFUSED[name] ?? `'${words.join(' ')}' is not a type`);
    return scalar;
  }

  struct(): StructType {
    const kw = this.next();
    let tag: string | null = null;
    if (/^[A-Za-z_]\w*$/.test(this.peek().text)) tag = this.next().text;
    if (this.peek().text !== '{') {
      if (tag === null) throw bad(kw, 'a struct needs a tag or a body');
      const known = this.structs.get(tag);
      if (!known) throw bad(kw, `struct ${tag} is not defined before it is used`);
      return known;
    }
    this.next();
    const members: Member[] = [];
    let offset = 0;
    let align = 1;
    while (this.peek().text !== '}') {
      if (this.atEnd()) throw bad(kw, `struct ${tag ?? ''} is never closed ('}')`.replace('  ', ' '));
      if (this.peek().text === '#define') {
        this.define();
        continue;
      }
      for (const m of this.declaration()) {
        offset = alignUp(offset, m.type.align);
        if (members.some((x) => x.name === m.name)) throw bad(m.where, `member '${m.name}' is declared twice`);
        members.push({ name: m.name, offset, type: m.type });
        offset += m.type.size;
        align = Math.max(align, m.type.align);
      }
    }
    this.next();
    const s: StructType = { kind: 'struct', name: tag, members, size: alignUp(offset, align), align, where: { line: kw.line, column: kw.column } };
    if (tag !== null) this.structs.set(tag, s);
    return s;
  }

  /** type declarator, declarator ... ; */
  declaration(): Array<{ name: string; type: CType; where: Token }> {
    const base = this.type();
    const out: Array<{ name: string; type: CType; where: Token }> = [];
    if (this.peek().text === ';' && base.kind === 'struct') {
      this.next();
      return out; // a struct defined, no member declared
    }
    for (;;) {
      let type: CType = base;
      while (this.peek().text === '*') {
        this.next();
        type = { kind: 'pointer', name: 'pointer', size: 8, align: 8, signed: false };
        while (QUALIFIERS.has(this.peek().text)) this.next();
      }
      const name = this.next();
      if (!/^[A-Za-z_]\w*$/.test(name.text)) throw bad(name, `expected a member name, not '${name.text}'`);
      const dims: number[] = [];
      while (this.peek().text === '[') {
        const open = this.next();
        const n = this.next();
        if (n.text === ']') throw bad(open, `'${name.text}[]': a flexible array has no size to lay out; give its length`);
        const v = integerOf(n.text) ?? this.defines.get(n.text) ?? null;
        if (v === null) throw bad(n, `'${n.text}' is not a number or a #define'd constant`);
        if (v < 1) throw bad(n, `an array of ${v} elements`);
        dims.push(v);
        this.expect(']', `after the length of '${name.text}'`);
      }
      if (this.peek().text === ':') throw bad(this.peek(), 'bit-fields are not supported');
      for (let d = dims.length - 1; d >= 0; d--) type = { kind: 'array', of: type, length: dims[d] as number, size: type.size * (dims[d] as number), align: type.align };
      out.push({ name: name.text, type, where: name });
      const t = this.next();
      if (t.text === ';') return out;
      if (t.text !== ',') throw bad(t, `expected ';' after '${name.text}', not ${t === this.#end ? 'the end' : `'${t.text}'`}`);
    }
  }
}

function integerOf(text: string): number | null {
  const t = text.replace(/[uUlL]+$/, '');
  if (!/^(?:0[xX][0-9a-fA-F]+|\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * The layout of C declarations: the members declared at the top level, or, where there are none, the last struct
 * defined (so that a header with `struct shmseg { ... };` is that struct). Throws InputError with the line and column
 * of what does not parse.
 */
export function parseLayout(spec: string): StructType {
  const tokens = tokenize(spec);
  const lines = spec.split('\n');
  const end: Token = { text: '', line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
  const p = new Parser(tokens, end);
  const members: Member[] = [];
  let offset = 0;
  let align = 1;
  let last: StructType | null = null;
  while (!p.atEnd()) {
    if (p.peek().text === '#define') {
      p.define();
      continue;
    }
    if (p.peek().text === ';') {
      p.next();
      continue;
    }
    const before = p.structs.size;
    const decls = p.declaration();
    if (decls.length === 0 && p.structs.size >= before) last = [...p.structs.values()].at(-1) ?? last;
    for (const m of decls) {
      offset = alignUp(offset, m.type.align);
      if (members.some((x) => x.name === m.name)) throw bad(m.where, `member '${m.name}' is declared twice`);
      members.push({ name: m.name, offset, type: m.type });
      offset += m.type.size;
      align = Math.max(align, m.type.align);
    }
  }
  if (members.length > 0) {
    const first = tokens.find((x) => x.text !== '#define' && x.text !== '\n') ?? end;
    return { kind: 'struct', name: null, members, size: alignUp(offset, align), align, where: { line: first.line, column: first.column } };
  }
  if (last) return last;
  throw bad(end, 'no member is declared');
}

/** The tutorial's struct shmseg (BUF_SIZE 1024): the layout named 'shmseg'. */
export const SHMSEG_LAYOUT = 'struct shmseg {\n  int cnt;\n  int complete;\n  char buf[1024];\n};\n';
