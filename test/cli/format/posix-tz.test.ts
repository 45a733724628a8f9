// Local time under POSIX TZ strings, against glibc's localtime(3) in a C program, at random moments and at every
// half hour's edges over two years: the strings ICU does not take (issue 14), northern and southern rules, Jn and n
// days, rule times past midnight and before it, a rule-less zone (posixrules), TZ changed within one process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { localFields, tzNeedsLibc } from '../../../src/cli/format/posix-tz.js';
import { compileC, requires } from '../../helpers/index.js';

const program = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(void) {
  long long t;
  while (scanf("%lld", &t) == 1) {
    time_t tt = (time_t)t;
    struct tm *tm = localtime(&tt);
    printf("%d %d %d %d %d %d %d\\n", tm->tm_year + 1900, tm->tm_mon, tm->tm_mday, tm->tm_wday, tm->tm_hour, tm->tm_min, tm->tm_sec);
  }
  return 0;
}
`;

const ZONES = [
  '<+0330>-3:30', '<-0930>9:30', 'CET-1CEST,M3.5.0,M10.5.0/3', 'NZST-12NZDT', 'NZST-12NZDT,M9.5.0,M4.1.0/3',
  'AEST-10AEDT,M10.1.0,M4.1.0/3', 'XXX3YYY,J60/1,300/-1', '<-03>3<-02>,M3.5.0/-2,M10.5.0/-1', 'EST5EDT4,M3.2.0/2:00:00,M11.1.0/2:00:00',
  'IST-2IDT,M3.4.4/26,M10.5.0', 'ABC-5:45', 'STD+2DST+1,0/0,J365/25', 'AAA-14', 'UTC+3', 'JST-9', 'NOTAZONE',
];

function glibc(exe: string, tz: string, times: number[]): string[] {
  const r = spawnSync(exe, { input: times.join('\n'), encoding: 'utf8', env: { TZ: tz }, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

const ours = (t: number) => Object.values(localFields(t)).join(' ');

test('POSIX TZ strings give glibc\'s local time', { skip: requires(['cc']) }, () => {
  const exe = compileC(program, 'localtime');
  const saved = process.env.TZ;
  try {
    for (const tz of ZONES) {
      process.env.TZ = tz;
      assert.ok(tzNeedsLibc(), `${tz} goes to glibc`);
      // Every hour's edges over two years, and random moments from 1970 to 2100.
      const edges: number[] = [];
      for (let t = Date.UTC(2025, 0, 1) / 1000; t < Date.UTC(2027, 0, 1) / 1000; t += 1800) edges.push(t - 1, t);
      const random = fc.sample(fc.integer({ min: 0, max: 4_102_444_800 }), 2000);
      const times = [...edges, ...random];
      const want = glibc(exe, tz, times);
      for (const [i, t] of times.entries()) {
        if (ours(t) !== want[i]) assert.fail(`TZ=${tz} t=${t}: ${ours(t)}, glibc ${want[i]}`);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test('a TZ that names a zone file stays ICU\'s, and gives the same fields as glibc', { skip: requires(['cc']) }, () => {
  const exe = compileC(program, 'localtime');
  const saved = process.env.TZ;
  try {
    for (const tz of ['UTC', 'EST5EDT', 'Asia/Kolkata', 'Europe/Paris', ':Europe/Paris', 'Australia/Lord_Howe']) {
      process.env.TZ = tz;
      assert.equal(tzNeedsLibc(), false, tz);
      const times = fc.sample(fc.integer({ min: 0, max: 4_102_444_800 }), 500);
      const want = glibc(exe, tz, times);
      for (const [i, t] of times.entries()) assert.equal(ours(t), want[i], `TZ=${tz} t=${t}`);
    }
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
