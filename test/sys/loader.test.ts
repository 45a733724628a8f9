// The shortcut that loads koffi's native addon without koffi's loader holds it to koffi's own rule: the addon's
// version is exactly that of the koffi package beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/index.js';

/** A copy of the built package whose koffi says it is version `version`, with the real native package beside it. */
function installWithKoffiVersion(version: string): string {
  const dir = tempDir('shmkit-koffi-');
  for (const d of ['dist', 'bin']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'node_modules', '@koromix'), { recursive: true });
  const native = `koffi-${process.platform}-${process.arch}`;
  symlinkSync(join(ROOT, 'node_modules', '@koromix', native), join(dir, 'node_modules', '@koromix', native));
  cpSync(join(ROOT, 'node_modules', 'koffi'), join(dir, 'node_modules', 'koffi'), { recursive: true, dereference: true });
  // The version is in the package's manifest and in its loader, which compares it with the addon's own.
  const koffi = join(dir, 'node_modules', 'koffi');
  const pkg = JSON.parse(readFileSync(join(koffi, 'package.json'), 'utf8'));
  writeFileSync(join(koffi, 'package.json'), JSON.stringify({ ...pkg, version }));
  for (const loader of ['index.cjs', 'index.js']) {
    const file = join(koffi, 'src', 'koffi', loader);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`version: "${pkg.version}"`, `version: "${version}"`));
  }
  return dir;
}

const kernelInfo = (dir: string) => spawnSync(process.execPath, [join(dir, 'bin', 'shmkit.js'), 'info', '--source', 'kernel', '--json'], { encoding: 'utf8' });

test("koffi's native addon in the koffi package's own version loads", () => {
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
  const r = kernelInfo(installWithKoffiVersion(version));
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).limits, r.stdout);
});

test('a native addon of another version than the koffi package is refused, in one line that says what to do', () => {
  const r = kernelInfo(installWithKoffiVersion('3.9.9'));
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^shmkit: info: cannot load koffi, which shmkit calls libc through: Mismatched native Koffi modules; reinstall shmkit \(npm ci\)/);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
});
