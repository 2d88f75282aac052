/**
 * The simulator decides as the product decides: a simulated history, replayed call by call
 * through `ringback log --at` on a real database, gets the same next step after every call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setMyCallingHours } from '../../src/app/workspace-settings.js';
import { DEFAULT_POLICY } from '../../src/core/cadence/policy.js';
import { type SimDial, simulate } from '../../src/sim/engine.js';
import { parsePopulation } from '../../src/sim/population.js';
import { findUsersByEmailInAnyWorkspace } from '../../src/store/user-repo.js';
import { runCli } from '../support/cli.js';
import { DATABASES, openTestStore, type TestDatabase } from '../support/stores.js';

const population = parsePopulation({
  segments: [
    {
      name: 'controllers',
      zones: { 'America/New_York': 1 },
      states: { NY: 1 },
      unreachable: 0,
      answer: { alpha: 2, beta: 8 },
      callbackAfterVoicemail: 0,
      awayPerYear: 20,
    },
  ],
  reps: {
    count: 1,
    zone: 'America/New_York',
    blocks: [
      { start: '09:30', minutes: 90 },
      { start: '14:00', minutes: 60 },
    ],
  },
});

function simulatedHistory(): SimDial[] {
  const dials: SimDial[] = [];
  simulate({
    population,
    campaign: { id: 1, urgency: 'normal', policy: DEFAULT_POLICY },
    prospects: 2,
    weeks: 2,
    seed: 8,
    startDay: '2026-03-02',
    onDial: (d) => dials.push(d),
  });
  return dials;
}

const iso = (t: number) => new Date(t).toISOString();

for (const { name, create } of DATABASES) {
  describe(`the simulator against the product on ${name}`, () => {
    let database: TestDatabase;
    afterAll(async () => database?.drop());

    it('replays a simulated history through `ringback log --at` with identical next steps', async () => {
      const dials = simulatedHistory();
      expect(dials.length).toBeGreaterThan(5);
      // Every kind of step the replay has to agree on shows up at least once.
      expect(new Set(dials.map((d) => d.attempt.outcome)).size).toBeGreaterThan(2);

      database = await create();
      const dir = mkdtempSync(join(tmpdir(), 'ringback-sim-'));
      const prospects = [...new Map(dials.map((d) => [d.prospect.id, d.prospect])).values()].sort(
        (a, b) => a.id - b.id,
      );
      expect(prospects.map((p) => p.id)).toEqual([1, 2]);
      const rep = 'rep@sim.test';
      let r = await runCli(
        ['users', 'add', rep, '--role', 'rep', '--name', 'Sim Rep', '--time-zone', 'America/New_York'],
        database.env,
        'a-long-password\n',
      );
      expect(r.stderr).toBe('');
      // The rep's own hours are the simulated blocks' span, as the simulator plans into them.
      const store = await openTestStore(database);
      try {
        const [user] = await findUsersByEmailInAnyWorkspace(store.db, rep);
        await setMyCallingHours(store, user!, { start: '09:30', end: '15:00', days: [1, 2, 3, 4, 5] });
      } finally {
        await store.close();
      }
      const csv = join(dir, 'prospects.csv');
      writeFileSync(
        csv,
        `First Name,Last Name,Title,Direct Phone\n${prospects.map((p) => `Prospect,${p.id},${p.title},${p.number}`).join('\n')}\n`,
      );
      r = await runCli(
        ['import', 'contacts', csv, '--campaign', 'Sim', '--owner', rep, '--json'],
        database.env,
      );
      expect(r.code, r.stderr).toBe(0);

      for (const dial of dials.filter((d) => !d.inbound)) {
        const args = [
          'log',
          String(dial.prospect.id),
          dial.attempt.outcome,
          '--campaign',
          'Sim',
          '--user',
          rep,
          '--at',
          iso(dial.attempt.at),
          '--json',
        ];
        if (dial.attempt.scheduledFor !== null) args.push('--when', iso(dial.attempt.scheduledFor));
        r = await runCli(args, database.env);
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
        const next = JSON.parse(r.stdout).next;
        expect(
          { state: next.state, dueAt: next.dueAt ? Date.parse(next.dueAt) : null },
          args.join(' '),
        ).toEqual({
          state: dial.step.state,
          dueAt: dial.step.dueAt,
        });
      }
    }, 300_000);
  });
}
