// shmkit as an npm package: pack, global install with man pages, import from another project with types,
// the library's import graph, man pages, --help examples and shell completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as sys from '../../src/sys/libc.js';
import { ROOT, BIN, Tracker, requires, shmkit, tempDir } from '../helpers/index.js';
import { assertOk } from '../helpers/assert.js';

const dir = tempDir('shmkit-pkg-');
const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  lastStderr = r.stderr;
  return r.stdout;
};
let lastStderr = '';
let tarball = '';
const pack = () => {
  if (!tarball) {
    const name = npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT).trim().split('\n').pop()!;
    tarball = join(dir, name);
  }
  return tarball;
};

test('npm pack, then npm install -g of the tarball: a working shmkit on PATH, and man shmkit', () => {
  const prefix = join(dir, 'prefix');
  npm(['install', '-g', '--prefix', prefix, pack()], dir);
  // npm 11 names the packages whose install scripts it did not run; the README explains each (and shmkit, below,
  // works without them).
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const [, name, script] of lastStderr.matchAll(/install-scripts\s+(\S+)@\S+ \((\w+):/g)) {
    assert.ok(readme.includes(`${name}'s\n`) || readme.includes(`${name}'s `), `README explains ${name}'s install script`);
    assert.ok(readme.includes(`\`${script}\``), `README names ${name}'s ${script} script`);
  }
  const bin = join(prefix, 'bin', 'shmkit');
  const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
  const v = spawnSync('shmkit', ['--version'], { encoding: 'utf8', env });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const info = spawnSync(bin, ['info', '--json'], { encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /"shmmax": \d+/);
  const man1 = join(prefix, 'share', 'man', 'man1');
  for (const page of ['shmkit.1', 'shmkit-create.1', 'shmkit-list.1']) assert.ok(existsSync(join(man1, page)), page);
  const where = spawnSync('man', ['-w', 'shmkit'], { encoding: 'utf8', env: { ...env, MANPATH: join(prefix, 'share', 'man') } });
  if (where.status === 0) assert.match(where.stdout, /shmkit\.1/);
  const shipped = readdirSync(join(prefix, 'lib', 'node_modules', 'shmkit')).sort();
  assert.deepEqual(shipped.filter((f) => !['node_modules', 'README.md', 'LICENSE'].includes(f)), ['bin', 'dist', 'man', 'package.json']);
});

test("import('shmkit') from another project gives the typed library", () => {
  const proj = join(dir, 'consumer');
  mkdirSync(proj, { recursive: true });
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', pack()], proj);
  const code = `
    const m = await import('shmkit');
    const want = ['Segment', 'Attachment', 'listSegments', 'getLimits', 'getUsage', 'parseKey', 'parseSize', 'formatKey',
      'ShmkitError', 'InputError', 'OperationError', 'SysError', 'runWriter', 'runReader'];
    const missing = want.filter((k) => !(k in m));
    if (missing.length) throw new Error('missing ' + missing);
    const seg = m.Segment.create({ key: 'private', size: 64n });
    const a = seg.attach();
    a.write(0, Buffer.from('typed'));
    const back = a.read(0, 5).toString();
    a.detach();
    const size = seg.stat().size;
    seg.remove();
    console.log(JSON.stringify({ back, size: String(size), key: m.parseKey('0x1234') }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: proj, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { back: 'typed', size: '64', key: 0x1234 });
  // The types: a consumer's TypeScript compiles against dist/index.d.ts, and a misuse does not.
  writeFileSync(join(proj, 'ok.ts'), `import { Segment, parseKey, type SegmentInfo } from 'shmkit';
const s: Segment = Segment.open({ key: parseKey('0x1234') });
const info: SegmentInfo = s.stat();
const size: bigint = info.size;
export { size };
`);
  writeFileSync(join(proj, 'bad.ts'), `import { parseKey } from 'shmkit';
const n: string = parseKey('1');
export { n };
`);
  const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] };
  writeFileSync(join(proj, 'tsconfig.ok.json'), JSON.stringify({ compilerOptions, files: ['ok.ts'] }));
  writeFileSync(join(proj, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions, files: ['bad.ts'] }));
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const okRun = spawnSync(tsc, ['-p', 'tsconfig.ok.json'], { cwd: proj, encoding: 'utf8' });
  assert.equal(okRun.status, 0, okRun.stdout + okRun.stderr);
  const badRun = spawnSync(tsc, ['-p', 'tsconfig.bad.json'], { cwd: proj, encoding: 'utf8' });
  assert.notEqual(badRun.status, 0);
  assert.match(badRun.stdout, /not assignable to type 'string'/);
});

test('the library does not load commander, chalk or string-width', () => {
  const seen = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // import/export ... from 'x', import('x'), and createRequire(...)('x') / require('x') (how koffi is loaded, lazily)
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:require|\))\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
      else external.add(spec);
    }
  };
  walk(join(ROOT, 'dist', 'index.js'));
  assert.ok(seen.size > 5, 'followed the imports');
  for (const pkg of ['commander', 'chalk', 'string-width']) assert.equal(external.has(pkg), false, `${pkg} is reachable from dist/index.js`);
  assert.ok(external.has('koffi'));
});

const manPages = () => readdirSync(join(ROOT, 'man')).filter((f) => f.endsWith('.1'));

test('groff renders every man page without a warning', { skip: requires(['groff']) }, () => {
  for (const page of manPages()) {
    const r = spawnSync('groff', ['-man', '-ww', '-z', join(ROOT, 'man', page)], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '', `${page}: ${r.stderr}`);
  }
});

test('man pages are up to date', () => {
  const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'man.js'), '--check'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const pages = manPages();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual([...pkg.man].map((p: string) => p.replace('./man/', '')).sort(), pages.sort(), 'package.json "man" lists every page');
  for (const page of pages) assert.match(readFileSync(join(ROOT, 'man', page), 'utf8'), /^\.TH /);
  const main = readFileSync(join(ROOT, 'man', 'shmkit.1'), 'utf8');
  for (const section of ['EXIT STATUS', 'ENVIRONMENT', 'FILES', 'EXAMPLES', 'SEE ALSO']) assert.match(main, new RegExp(`^\\.SH ${section}$`, 'm'));
  for (const ref of ['ipcs', 'ipcrm', 'ipcmk', 'shmget']) assert.match(main, new RegExp(`^\\.BR ${ref} \\(\\d\\)`, 'm'));
});

test("every command's --help ends with an Examples section", () => {
  const top = shmkit(['--help']);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+)(?:\|[a-z]+)? .*$/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  assert.ok(commands.length >= 11, commands.join(' '));
  for (const c of commands) {
    const r = shmkit([c, '--help']);
    assertOk(r);
    const tail = r.stdout.slice(r.stdout.lastIndexOf('\nExamples:\n'));
    assert.ok(r.stdout.includes('\nExamples:\n'), `${c} --help has Examples`);
    assert.match(tail, /\n {2}shmkit /, c);
    assert.doesNotMatch(tail.replace(/\n\n(Note|Exit status): .*\n$/s, '\n'), /\n\n\S/, `${c}: Examples come last`);
    // Issue 14: the examples and what follows them fit 80 columns, and a jq example has the caveat beside it.
    for (const line of tail.split('\n')) assert.ok(line.length <= 80, `${c}: ${line.length} columns: ${line}`);
    if (/\| jq /.test(tail)) assert.match(tail.replace(/\s+/g, ' '), /Note: jq before 1\.7 rounds integers above 2\^53/, `${c}: the jq caveat`);
    if (/\| jq /.test(tail)) assert.match(readFileSync(join(ROOT, 'man', `shmkit-${c}.1`), 'utf8'), /jq before 1\.7 rounds integers/, `${c}: the jq caveat in its man page`);
  }
});

test('bash completion loads, and completes commands, formats and live ids', () => {
  const t = new Tracker();
  const id = t.shm(sys.shmget(0, 16, 0o600 | 0o1000));
  try {
    const script = `
      shmkit() { '${process.execPath}' '${BIN}' "$@"; }
      source <(shmkit completion bash)
      complete -p shmkit
      COMP_WORDS=(shmkit cre); COMP_CWORD=1; _shmkit; echo "commands: \${COMPREPLY[*]}"
      COMP_WORDS=(shmkit read --format ''); COMP_CWORD=3; _shmkit; echo "formats: \${COMPREPLY[*]}"
      COMP_WORDS=(shmkit stat --id ''); COMP_CWORD=3; _shmkit; echo "ids: \${COMPREPLY[*]}"
    `;
    const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^complete -F _shmkit shmkit$/m);
    assert.match(r.stdout, /^commands: create$/m);
    assert.match(r.stdout, /^formats: text raw hex$/m);
    assert.match(r.stdout, new RegExp(`^ids: .*\\b${id}\\b`, 'm'));
    const fish = shmkit(['completion', 'fish']);
    assertOk(fish);
    assert.match(fish.stdout, /^complete -c shmkit -n __fish_use_subcommand -a create /m);
    assert.match(fish.stdout, /-l id -s i -r -a '\(shmkit __complete ids\)'/);
    const zsh = shmkit(['completion', 'zsh']);
    assert.match(zsh.stdout, /^#compdef shmkit$/m);
    if (spawnSync('zsh', ['--version'], { stdio: 'ignore' }).status === 0) {
      const z = spawnSync('zsh', ['-c', `source <('${process.execPath}' '${BIN}' completion zsh) && echo ok`], { encoding: 'utf8' });
      assert.match(z.stdout, /ok/);
    }
    assert.equal(shmkit(['completion', 'tcsh']).status, 2);
  } finally {
    t.cleanup();
  }
});
