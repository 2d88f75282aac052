/**
 * `ringback simulate` as a user runs it: the JSON the issue names, the same output for the
 * same seed, options side by side, a campaign's own cadence, and clear errors for bad files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { DATABASES, type TestDatabase } from '../support/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'ringback-simulate-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const SMALL = ['--prospects', '150', '--reps', '1', '--weeks', '2'];

describe('ringback simulate', () => {
  it('prints the issue’s JSON and repeats it exactly for the same seed', async () => {
    const a = await runCli(['simulate', ...SMALL, '--runs', '2', '--seed', '5', '--json'], {});
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const json = JSON.parse(a.stdout);
    expect(Object.keys(json)).toEqual([
      'runs',
      'timing',
      'prospects',
      'repHours',
      'dials',
      'conversations',
      'appointments',
      'voicemailsLeft',
      'callbacks',
      'unreachable',
      'conversationsPerRepHour',
    ]);
    expect(json).toMatchObject({ runs: 2, timing: 'fixed', prospects: 150, repHours: 30 });
    expect(json.dials).toBeGreaterThan(100);
    const rate = json.conversationsPerRepHour;
    expect(rate.low).toBeLessThanOrEqual(rate.mean);
    expect(rate.high).toBeGreaterThanOrEqual(rate.mean);
    const b = await runCli(['simulate', ...SMALL, '--runs', '2', '--seed', '5', '--json'], {});
    expect(b.stdout).toBe(a.stdout);
  });

  it('compares policies side by side: never leaving voicemails leaves none', async () => {
    const always = file('always.json', { voicemail: 'always' });
    const never = file('never.json', { voicemail: 'never', urgency: 'high' });
    const r = await runCli(['simulate', ...SMALL, '--policy', always, '--policy', never, '--compare'], {});
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain(always);
    expect(lines[0]).toContain(never);
    const left = lines
      .find((l) => l.startsWith('voicemails left'))!
      .trim()
      .split(/\s{2,}/);
    expect(Number(left[1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(left[2]).toBe('0');
    const json = JSON.parse(
      (await runCli(['simulate', ...SMALL, '--policy', always, '--policy', never, '--json'], {})).stdout,
    );
    expect(json.map((o: { option: string }) => o.option)).toEqual([always, never]);
  });

  it('names the file and the field of a bad population or policy', async () => {
    let r = await runCli(
      ['simulate', '--population', file('pop.json', { segments: [{ colour: 'red' }] })],
      {},
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pop.json');
    expect(r.stderr).toContain('unknown field "segments.0.colour"');
    r = await runCli(['simulate', '--policy', file('policy.json', { attemptLimit: 0 })], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('policy.json');
    expect(r.stderr).toContain('attemptLimit');
    r = await runCli(['simulate', '--population', file('broken.json', '{ not json')], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON');
    r = await runCli(['simulate', '--policy', file('a.json', {}), '--policy', file('b.json', {})], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--compare');
  });
});

for (const { name, create } of DATABASES) {
  describe(`ringback simulate --campaign on ${name}`, () => {
    let database: TestDatabase;
    afterAll(async () => database?.drop());

    it("runs a campaign's own cadence, and says when there is no such campaign", async () => {
      database = await create();
      const csv = file(`one-${name}.csv`, 'First Name,Last Name,Phone\nAda,Lovelace,+12125550142\n');
      const imported = await runCli(['import', 'contacts', csv, '--campaign', 'Spring push'], database.env);
      expect(imported.code, imported.stderr).toBe(0);
      let r = await runCli(['simulate', ...SMALL, '--campaign', 'Spring push'], database.env);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n')[0]).toContain('Spring push');
      r = await runCli(['simulate', ...SMALL, '--campaign', 'Nope'], database.env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--campaign Nope: there is no such campaign');
    });
  });
}
