import { describe, expect, it } from 'vitest';
import { SessionRejectedError } from '../../src/errors.js';
import { createSessionStore } from '../../src/index.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { Clock } from '../helpers/clock.js';
import { openAsCookie, sealAsCookie } from '../helpers/cookie-oracle.js';
import { runCli, secretOf } from './run-cli.js';

const OLD = 'old1:4Ejuy8jN2rSWXUZ9pI6Jd3Vcqx6RHr0eEmD3X2n7hYM';
const OLDER = 'old0:Y8nVIojM-lmjjrdNjPAzCCy9h9YHuR6s4sIlkOOGPRQ';

interface Stage {
  stage: number;
  name: string;
  keys: string;
  does: string;
  next: string;
}
interface RotateJson {
  variable: string;
  current: string[];
  newKeyId: string;
  waitSeconds: number;
  warning?: string;
  stages: Stage[];
}

async function rotateJson(args: string[], env: Record<string, string> = {}): Promise<RotateJson> {
  const { code, stdout, stderr } = await runCli(['rotate', '--json', ...args], { env });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as RotateJson;
}

function store(keys: string) {
  return createSessionStore({ keys });
}

describe('jwe-session rotate', () => {
  it('stages the new key last, promotes it first, then retires the old one', async () => {
    const out = await rotateJson([], { SESSION_KEYS: OLD });
    expect(out.variable).toBe('SESSION_KEYS');
    expect(out.current).toEqual(['old1']);
    const [stage, promote, retire] = out.stages as [Stage, Stage, Stage];
    expect([stage.name, promote.name, retire.name]).toEqual(['stage', 'promote', 'retire']);
    expect(KeyRing.from(stage.keys).ids).toEqual(['old1', out.newKeyId]);
    expect(KeyRing.from(promote.keys).ids).toEqual([out.newKeyId, 'old1']);
    expect(KeyRing.from(retire.keys).ids).toEqual([out.newKeyId]);
    // The old entry is carried over exactly, and the new key is the same in every stage.
    expect(stage.keys.startsWith(`${OLD},`)).toBe(true);
    expect(promote.keys.endsWith(`,${OLD}`)).toBe(true);
    expect(stage.keys.endsWith(retire.keys)).toBe(true);
    expect(promote.keys.startsWith(retire.keys)).toBe(true);
    expect(secretOf(retire.keys)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives rings under which no session is lost at any step', async () => {
    const out = await rotateJson(['--keys', OLD]);
    const [s1, s2, s3] = out.stages.map((s) => store(s.keys));
    const s0 = store(OLD);
    if (!s1 || !s2 || !s3) throw new Error('three stages expected');

    // Before and during stage 1, everything seals with the old key and every ring opens it.
    const oldToken = await sealAsCookie(s0, { user: 'ann' });
    const stagedToken = await sealAsCookie(s1, { user: 'bob' });
    for (const s of [s0, s1, s2]) {
      expect(await openAsCookie(s, oldToken)).toEqual({ user: 'ann' });
      expect(await openAsCookie(s, stagedToken)).toEqual({ user: 'bob' });
    }
    // A stage-2 cookie opens in a process still on stage 1 (that is what staging is for)...
    const promotedToken = await sealAsCookie(s2, { user: 'cy' });
    expect(await openAsCookie(s1, promotedToken)).toEqual({ user: 'cy' });
    // ...and an old-key cookie is re-sealed under the new key on its user's next visit.
    const session = await s2.load(`session=${oldToken}`);
    expect(session.get('user')).toBe('ann');
    const [setCookie] = await s2.commit(session);
    const resealed = setCookie?.split(';')[0]?.slice('session='.length) ?? '';
    expect((await s2.load(`session=${resealed}`)).cookie?.keyId).toBe(out.newKeyId);

    // Stage 3 opens what stages 2 and 3 sealed and nothing sealed with the old key.
    expect(await openAsCookie(s3, promotedToken)).toEqual({ user: 'cy' });
    expect(await openAsCookie(s3, resealed)).toEqual({ user: 'ann' });
    const retired = await openAsCookie(s3, oldToken);
    expect(retired).toBeInstanceOf(SessionRejectedError);
    expect((retired as SessionRejectedError).reason).toBe('unknown-key');
  });

  it('prints each stage with what it does, when to go on, and the value', async () => {
    const { code, stdout } = await runCli(['rotate'], { env: { SESSION_KEYS: OLD } });
    expect(code).toBe(0);
    expect(stdout).toContain('keep this output out of logs');
    const values = [...stdout.matchAll(/^ {3}SESSION_KEYS=(\S+)$/gm)].map((m) => m[1] as string);
    expect(values).toHaveLength(3);
    const ids = values.map((v) => KeyRing.from(v).ids);
    expect(ids[0]?.[0]).toBe('old1');
    expect(ids[1]?.[1]).toBe('old1');
    expect(ids[2]).toHaveLength(1);
    expect(stdout).toMatch(
      /1\. stage: [\s\S]*every process[\s\S]*2\. promote: [\s\S]*3\. retire: /,
    );
    expect(stdout).toContain('for 7 days');
  });

  it('waits the idle timeout, capped by the absolute timeout', async () => {
    expect((await rotateJson(['--keys', OLD])).waitSeconds).toBe(7 * 86400);
    const short = await rotateJson(['--keys', OLD, '--idle-timeout', '2h']);
    expect(short.waitSeconds).toBe(7200);
    expect(short.stages[1]?.next).toContain('2 hours');
    const capped = await rotateJson(['--keys', OLD, '--absolute-timeout', '2d']);
    expect(capped.waitSeconds).toBe(2 * 86400);
  });

  it('takes the absolute timeout default from the store: max(30 days, the idle timeout)', async () => {
    // A 40-day idle timeout alone gives a store whose absolute timeout is 40 days too: a 30-day
    // wait would retire the old key while cookies sealed with it are still valid.
    const long = await rotateJson(['--keys', OLD, '--idle-timeout', '40d']);
    expect(long.waitSeconds).toBe(40 * 86400);
    const s = createSessionStore({ keys: OLD, lifetime: { idleTimeout: 40 * 86400 } });
    const session = await s.load(undefined);
    session.set('k', 1);
    const [line] = await s.commit(session);
    expect(line).toContain(`Max-Age=${40 * 86400}`);
  });

  it('refuses lifetimes the store would refuse, under the flag that gave them', async () => {
    const r = await runCli([
      'rotate',
      '--keys',
      OLD,
      '--idle-timeout',
      '40d',
      '--absolute-timeout',
      '1d',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--absolute-timeout 86400 is shorter than idleTimeout');
    const huge = await runCli(['rotate', '--keys', OLD, '--idle-timeout', '500d']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('--idle-timeout');
  });

  it('waits what the store enforces: a long idle timeout alone raises the absolute one too', async () => {
    const out = await rotateJson(['--keys', OLD, '--idle-timeout', '40d']);
    expect(out.waitSeconds).toBe(40 * 86400);
    // A store with the same idle timeout keeps a session sealed 39 days ago: a wait of 30
    // days (the bare absolute default) would retire its key and log its user out.
    const clock = new Clock();
    const live = createSessionStore({
      keys: OLD,
      testing: { env: {}, now: clock.now },
      lifetime: { idleTimeout: 40 * 86400 },
    });
    const token = await sealAsCookie(live, { user: 'idle' });
    clock.advance(39 * 86400);
    expect(await openAsCookie(live, token)).toEqual({ user: 'idle' });
  });

  it('reads the variable --keys-env names, and uses its name in the output', async () => {
    const out = await rotateJson(['--keys-env', 'ADMIN_KEYS'], { ADMIN_KEYS: OLD });
    expect(out.variable).toBe('ADMIN_KEYS');
    const text = await runCli(['rotate', '--keys-env', 'ADMIN_KEYS'], { env: { ADMIN_KEYS: OLD } });
    expect(text.stdout).toMatch(/^ {3}ADMIN_KEYS=/m);
  });

  it('takes the new id from --id and refuses one already in the ring', async () => {
    const out = await rotateJson(['--keys', OLD, '--id', 'next']);
    expect(out.newKeyId).toBe('next');
    const taken = await runCli(['rotate', '--keys', OLD, '--id', 'old1']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('--id "old1" is already in --keys');
    expect(taken.stderr).not.toContain(secretOf(OLD));
  });

  it('warns when the ring already holds several keys, and retires them all', async () => {
    const out = await rotateJson(['--keys', `${OLD},${OLDER}`]);
    expect(out.warning).toContain('holds 2 keys (old1, old0)');
    expect(KeyRing.from(out.stages[0]?.keys ?? '').ids).toEqual(['old1', 'old0', out.newKeyId]);
    expect(KeyRing.from(out.stages[2]?.keys ?? '').ids).toEqual([out.newKeyId]);
  });

  it('fails with exit 1 and no secret when the key list is missing or invalid', async () => {
    const missing = await runCli(['rotate']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SESSION_KEYS is not set');

    // Entry 2 is bad; entry 1's secret must not appear in the message.
    const bad = await runCli(['rotate'], { env: { SESSION_KEYS: `${OLD},two:tooShortKey` } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('SESSION_KEYS: entry 2 (id "two")');
    expect(bad.stderr).not.toContain(secretOf(OLD));
    expect(bad.stderr).not.toContain('tooShortKey');
  });

  // Node's own parseArgs messages quote the argument: the CLI rewrites them.
  it('will not print a passphrase that terminal escaping would change: --json escapes it losslessly', async () => {
    // Everything the CLI prints is escaped for the terminal; a passphrase holding U+202E would
    // be printed as \u202e, and the value copied from the screen would be another key.
    const entry = 'pp1:passphrase:correct horse \u202ebattery staple zebra';
    const text = await runCli(['rotate'], { env: { SESSION_KEYS: `${OLD},${entry}` } });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      'jwe-session: entry 2 of SESSION_KEYS holds a control or bidi character, which a terminal would act on: pass --json (its strings escape it) or replace that passphrase\n',
    );
    const json = await runCli(['rotate', '--json'], { env: { SESSION_KEYS: `${OLD},${entry}` } });
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('\u202e');
    const stages = (JSON.parse(json.stdout) as RotateJson).stages;
    expect(stages[0]?.keys.startsWith(`${OLD},${entry},`)).toBe(true);
  });

  it('does not echo a key passed as an argument', async () => {
    const r = await runCli(['rotate', OLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rotate takes no arguments');
    expect(r.stderr).not.toContain(secretOf(OLD));
  });

  it('does not echo a key passed as an option', async () => {
    const r = await runCli(['rotate', `--${OLD}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option');
    expect(r.stderr).not.toContain(secretOf(OLD));
  });

  it('does not echo a key passed as the command', async () => {
    const r = await runCli([OLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
    expect(r.stderr).not.toContain(secretOf(OLD));
  });

  it('refuses a bad duration with exit 2', async () => {
    const r = await runCli(['rotate', '--keys', OLD, '--idle-timeout', 'a week']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--idle-timeout must be a duration');
  });
});
