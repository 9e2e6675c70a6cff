// Keeps the micro benchmark from rotting: `node bench/run.js --quick` (what
// `npm run bench -- --quick` runs after the build) must check every system of issue 6, on
// every payload, before it times anything.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const systems = [
  'jwe-session',
  "jwe-session, engine: 'node'",
  'iron-session 8',
  '@auth/core',
  '@hapi/iron',
  'next-auth 4',
  'jose dir+A256GCM (payload only)',
  'Web Crypto floor',
  'node:crypto floor',
];
// iron-session 9 needs Node ≥ 22.13 (bench/iron-session-9.js): there, it is a system too, once
// installed. It is an optional dependency npm leaves out on an older Node, so a node_modules
// installed on Node 20 lacks it (.ci/run adds it with Node 24); the run must then say so.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const ironSession9Runs = major > 22 || (major === 22 && minor >= 13);
const ironSession9Installed = existsSync(resolve(root, 'node_modules/iron-session-9/package.json'));
if (ironSession9Runs && ironSession9Installed) systems.push('iron-session 9');
const payloads = ['small', 'medium', 'large'];

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['bench/run.js', '--quick'],
      { cwd: root, timeout: 40_000, maxBuffer: 4 << 20 },
      (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('npm run bench -- --quick', () => {
  it('checks every system round-trips and refuses modified tokens, then times them', {
    timeout: 60_000,
  }, async () => {
    if (!existsSync(resolve(root, 'dist/index.js'))) {
      throw new Error('dist/index.js is missing: run `npm run build` (npm test does)');
    }
    const { code, stdout, stderr } = await runQuick();
    expect(code, stderr).toBe(0);
    for (const system of systems) {
      for (const payload of payloads) {
        const line = new RegExp(
          `^check ok: ${escapeRegExp(system)} · ${payload} \\(\\d+ B\\) · round-trip · 5 modified tokens rejected · \\d+ B token$`,
          'm',
        );
        expect(stdout, `${system} / ${payload}`).toMatch(line);
      }
      // Every system shows up in the timing table for every payload.
      for (const payload of payloads) {
        const name = system === 'jwe-session' ? '**jwe-session**' : system;
        expect(stdout).toMatch(new RegExp(`^\\| ${payload} +\\| ${escapeRegExp(name)} +\\|`, 'm'));
      }
    }
    expect(stdout).toMatch(
      new RegExp(`^quick run ok: ${systems.length} systems checked and timed$`, 'm'),
    );
    if (ironSession9Runs && !ironSession9Installed) {
      expect(stdout).toContain('iron-session 9: skipped, not installed');
    }
  });
});
