// Layouts (issue 17): parseLayout must put every member where cc puts it. fast-check makes structs (scalars of every
// kind, arrays of one to three dimensions, nested and anonymous structs, arrays of structs); one C program prints
// sizeof and the offsetof of every member path, and the layout must agree on each. Then values: a C program writes
// a struct of known values into a segment, and read --layout --json gives them back; the seed's writer, live,
// decodes as struct shmseg; bad layouts are one line, exit 2, with the line and column.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type CType, type StructType, parseLayout } from '../../src/core/cstruct.js';
import { SEED_SOURCES, Tracker, collect, compileC, compileSeed, hex, requires, shmkit, tempDir, uniqueKey, until } from '../helpers/index.js';
import { assertFails } from '../helpers/assert.js';

const t = new Tracker();
after(() => t.cleanup());

const SCALARS = ['char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'short int', 'int', 'unsigned', 'unsigned int', 'long',
  'unsigned long', 'long int', 'long long', 'unsigned long long', 'long unsigned int', 'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t',
  'uint32_t', 'int64_t', 'uint64_t', 'size_t', 'ssize_t', 'pid_t', 'uid_t', 'off_t', 'float', 'double', 'bool', '_Bool', 'char *', 'const char *'];

/** A member declaration in C, generated: a scalar or a nested struct, maybe an array. */
type Decl = { type: string | Decl[]; dims: number[] };

const declArb: fc.Arbitrary<Decl[]> = fc.letrec((tie) => ({
  members: fc.array(tie('member') as fc.Arbitrary<Decl>, { minLength: 1, maxLength: 6 }),
  member: fc.record({
    type: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...SCALARS), tie('members') as fc.Arbitrary<Decl[]>),
    dims: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
  }),
})).members as fc.Arbitrary<Decl[]>;

function cText(members: Decl[], pad = '  '): string {
  return members.map((m, i) => {
    const dims = m.dims.map((d) => `[${d}]`).join('');
    if (typeof m.type === 'string') {
      const star = m.type.endsWith('*');
      return `${pad}${star ? m.type.slice(0, -1).trimEnd() + ' *' : m.type + ' '}m${i}${dims};\n`;
    }
    return `${pad}struct {\n${cText(m.type, pad + '  ')}${pad}} m${i}${dims};\n`;
  }).join('');
}

/** Every member path and its offset, as the layout has it: m0, m2[1][0].m1, ... (the first element of arrays). */
function paths(s: StructType, prefix = '', base = 0): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const m of s.members) {
    let name = prefix + m.name;
    let type: CType = m.type;
    const offset = base + m.offset;
    out.push([name, offset]);
    while (type.kind === 'array') {
      const of: CType = type.of;
      const last = type.length - 1;
      out.push([`${name}[${last}]`, offset + last * of.size]);
      name += '[0]';
      type = of;
    }
    if (type.kind === 'struct') out.push(...paths(type, name + '.', offset));
  }
  return out;
}

test('layouts agree with cc on sizeof and every offsetof, for 40 generated structs', { skip: requires(['cc']) }, () => {
  const structs = fc.sample(declArb, { seed: 17, numRuns: 40 });
  let program = '#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n#include <sys/types.h>\n';
  const layouts: StructType[] = [];
  structs.forEach((members, k) => {
    const body = cText(members);
    program += `struct s${k} {\n${body}};\n`;
    layouts.push(parseLayout(body));
  });
  program += 'int main(void) {\n';
  layouts.forEach((l, k) => {
    program += `  printf("s${k} sizeof %zu\\n", sizeof(struct s${k}));\n`;
    for (const [path] of paths(l)) program += `  printf("s${k} ${path} %zu\\n", offsetof(struct s${k}, ${path}));\n`;
  });
  program += '  return 0;\n}\n';
  const exe = compileC(program, 'layouts');
  const out = spawnSync(exe, { encoding: 'utf8' }).stdout;
  const theirs = new Map(out.trim().split('\n').map((l) => {
    const at = l.lastIndexOf(' ');
    return [l.slice(0, at), Number(l.slice(at + 1))] as const;
  }));
  let checked = 0;
  layouts.forEach((l, k) => {
    assert.equal(l.size, theirs.get(`s${k} sizeof`), `sizeof struct s${k}:\n${cText(structs[k] as Decl[])}`);
    for (const [path, offset] of paths(l)) {
      assert.equal(offset, theirs.get(`s${k} ${path}`), `offsetof(struct s${k}, ${path}):\n${cText(structs[k] as Decl[])}`);
      checked++;
    }
  });
  assert.ok(checked > 200, `${checked} offsets checked`);
});

test('read --layout --json gives back the values a C program wrote, exactly, 64-bit ones included', { skip: requires(['cc']) }, async () => {
  const key = uniqueKey();
  const spec = `#define N 3
struct point { int16_t x; double y; };
struct rec {
  char name[16];         /* a string */
  uint64_t big;
  int64_t neg;
  unsigned char flags[4];
  bool ok;
  float ratio;
  struct point pts[N];
  char grid[2][4];
  int *p;
};`;
  const exe = compileC(`#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
${spec}
int main(void) {
  int id = shmget(${key}, sizeof(struct rec) + 8, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0) return 1;
  char *base = shmat(id, NULL, 0);
  if (base == (void *)-1) return 1;
  struct rec *r = (struct rec *)(base + 8);
  strcpy(r->name, "jürgen");
  r->big = 18446744073709551615ULL; r->neg = -9007199254740993LL;
  r->flags[0] = 255; r->flags[3] = 7; r->ok = true; r->ratio = 0.5f;
  for (int i = 0; i < N; i++) { r->pts[i].x = (int16_t)(-i - 1); r->pts[i].y = i * 1.25; }
  memcpy(r->grid[0], "ab", 3); memcpy(r->grid[1], "wxyz", 4);
  r->p = (int *)0x7fff12345678;
  printf("%d\\n", id);
  return 0;
}`, 'rec');
  const r = spawnSync(exe, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const id = t.shm(Number(r.stdout.trim()), key);
  const dir = tempDir();
  writeFileSync(join(dir, 'rec.h'), spec);
  const got = shmkit(['read', String(id), '--layout', `@${join(dir, 'rec.h')}`, '--offset', '8', '--json']);
  assert.equal(got.status, 0, got.stderr);
  assert.match(got.stdout, /"big": 18446744073709551615,/, 'exact above 2^53');
  assert.match(got.stdout, /"neg": -9007199254740993,/);
  const v = JSON.parse(Buffer.from(got.stdout, 'latin1').toString('utf8'));
  assert.deepEqual(v.name, { text: 'jürgen', length: 7, size: 16 });
  assert.deepEqual([v.flags, v.ok, v.ratio], [[255, 0, 0, 7], true, 0.5]);
  assert.deepEqual(v.pts, [{ x: -1, y: 0 }, { x: -2, y: 1.25 }, { x: -3, y: 2.5 }]);
  assert.deepEqual(v.grid, [{ text: 'ab', length: 2, size: 4 }, { text: 'wxyz', length: 4, size: 4 }], 'a char array with no NUL is all its bytes');
  assert.deepEqual(v.p, { address: 0x7fff12345678 });
  const text = shmkit(['read', String(id), '--layout', `@${join(dir, 'rec.h')}`, '--offset', '8']);
  assert.match(Buffer.from(text.stdout, 'latin1').toString('utf8'), /^name = "jürgen" \(7 of 16 bytes\)\nbig = 18446744073709551615\n/);
  assert.match(text.stdout, /^pts\[1\]:\n {2}x = -2\n {2}y = 1\.25$/m);
  assert.match(text.stdout, /^p = 0x7fff12345678$/m);
});

for (const source of SEED_SOURCES) {
  test(`the seed's struct shmseg, decoded from a live writer: ${source.name}`, { skip: requires(['cc']) }, async () => {
    const key = uniqueKey();
    const { writer } = compileSeed(key, source);
    const w = collect(spawn(writer, [], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      // Its printf goes to a pipe, buffered till it exits: the segment itself says when the first block is in.
      let r = shmkit(['read', '--key', hex(key), '--layout', 'shmseg', '--json']);
      await until(() => {
        r = shmkit(['read', '--key', hex(key), '--layout', 'shmseg', '--json']);
        return r.status === 0 && JSON.parse(r.stdout).cnt === 1023;
      }, 'the writer\'s first block');
      t.shm(JSON.parse(shmkit(['stat', '--key', hex(key), '--json']).stdout).id, key);
      assert.deepEqual(JSON.parse(r.stdout), { cnt: 1023, complete: 0, buf: { text: 'A'.repeat(1023), length: 1023, size: 1024 } });
      assert.match(shmkit(['read', '--key', hex(key), '--layout', 'shmseg']).stdout, /^cnt = 1023\ncomplete = 0\nbuf = "A{1023}" \(1023 of 1024 bytes\)\n$/);
    } finally {
      w.child.kill('SIGKILL');
      await w.done;
    }
  });
}

test('bad layouts: one line, exit 2, with the line and column; nothing attached', () => {
  const id = t.shm(Number(shmkit(['create', '--private', '--size', '64']).stdout.trim()));
  const cases: Array<[string, RegExp]> = [
    ['int a b;', /^shmkit: read: layout: line 1, column 7: expected ';' after 'a', not 'b'$/],
    ['int a;\n  flot b;', /^shmkit: read: layout: line 2, column 3: 'flot' is not a type the layout knows/],
    ['int a:3;', /^shmkit: read: layout: line 1, column 6: bit-fields are not supported$/],
    ['union u { int a; } x;', /^shmkit: read: layout: line 1, column 1: unions are not supported$/],
    ['char s[];', /^shmkit: read: layout: line 1, column 7: 's\[\]': a flexible array has no size to lay out; give its length$/],
    ['int v[N];', /^shmkit: read: layout: line 1, column 7: 'N' is not a number or a #define'd constant$/],
    ['struct q x;', /^shmkit: read: layout: line 1, column 1: struct q is not defined before it is used$/],
    ['/* never closed', /^shmkit: read: layout: line 1, column 1: a comment that is never closed/],
    ['', /^shmkit: read: layout: line 1, column 1: no member is declared$/],
    ['@/nonexistent/x.h', /^shmkit: read: --layout @\/nonexistent\/x\.h: cannot read \/nonexistent\/x\.h: ENOENT \(No such file or directory\)$/],
  ];
  for (const [spec, re] of cases) assertFails(shmkit(['read', String(id), '--layout', spec]), 2, 'read', re);
  assertFails(shmkit(['read', String(id), '--layout', 'int a;', '--length', '4']), 2, 'read', /--layout reads as many bytes as its struct has/);
  assertFails(shmkit(['read', String(id), '--json']), 2, 'read', /--json goes with --layout/);
  assertFails(shmkit(['read', String(id), '--layout', 'int a;', '--format', 'hex']), 2, 'read', /--layout prints the members as text, or as --json: not --format hex$/);
  const st = JSON.parse(shmkit(['stat', String(id), '--json']).stdout);
  assert.equal(st.atime, null, 'a layout that does not parse attaches nothing');
  assertFails(shmkit(['read', String(id), '--layout', 'char big[65];']), 2, 'read', /^shmkit: read: layout: line 1, column 1: the struct is 65 bytes, and segment \d+ has 64 from offset 0 \(64 in all\)$/);
  assertFails(shmkit(['read', String(id), '--layout', 'char big[8];', '--offset', '60']), 2, 'read', /the struct is 8 bytes, and segment \d+ has 4 from offset 60/);
  assertFails(shmkit(['read', String(id), '--layout', '#define N 2\n  struct big { char b[N]; char c[100]; };']), 2, 'read',
    /^shmkit: read: layout: line 2, column 3: the struct is 102 bytes, and segment \d+ has 64 from offset 0 \(64 in all\)$/);
});
