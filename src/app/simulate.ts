/**
 * "What would this cadence win?": loads the cadence to try (a campaign's, a policy file's, or
 * DESIGN.md's default) and the population, then runs the simulator over it. The simulation is
 * pure; only the campaign comes from the store.
 */

import type { Kysely } from 'kysely';
import { type CadencePolicy, cadencePolicySchema, DEFAULT_POLICY } from '../core/cadence/policy.js';
import type { Urgency } from '../core/cadence/types.js';
import type { SimCampaign, Timing } from '../sim/engine.js';
import type { Population } from '../sim/population.js';
import { type RunsSummary, simulateRuns } from '../sim/runs.js';
import { plannerFor } from '../sim/timing.js';
import { findCampaignByName } from '../store/campaign-repo.js';
import type { Database } from '../store/schema.js';
import { invalid } from './errors.js';

/** Where simulated time starts when none is given: a fixed Monday, so a seed always repeats. */
export const DEFAULT_START_DAY = '2026-03-02';

export interface CadenceOption {
  /** How the option is named in a comparison. */
  label: string;
  campaign: SimCampaign;
}

export interface SimulateRequest {
  population: Population;
  option: CadenceOption;
  timing: Timing;
  prospects: number;
  reps?: number;
  weeks: number;
  runs: number;
  seed: number;
  startDay?: string;
}

/** A campaign's cadence, as stored. */
export async function campaignOption(
  db: Kysely<Database>,
  workspaceId: number,
  name: string,
): Promise<CadenceOption> {
  const row = await findCampaignByName(db, workspaceId, name);
  if (!row) throw invalid(`--campaign ${name}: there is no such campaign`, '/campaign');
  return {
    label: row.name,
    campaign: { id: row.id, urgency: row.urgency, policy: cadencePolicySchema.parse(JSON.parse(row.policy)) },
  };
}

/**
 * A policy file: the cadence policy a campaign stores (every field optional), plus an optional
 * `urgency`. `source` names the file in errors.
 */
export function policyOption(raw: unknown, source: string): CadenceOption {
  const { urgency, ...policy } = (raw ?? {}) as { urgency?: unknown } & Record<string, unknown>;
  const issues: string[] = [];
  if (urgency !== undefined && urgency !== 'high' && urgency !== 'normal' && urgency !== 'low') {
    issues.push('urgency: must be "high", "normal" or "low"');
  }
  const parsed = cadencePolicySchema.safeParse(policy);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push(
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      );
    }
  }
  if (issues.length > 0 || !parsed.success) throw invalid(`${source}: ${issues.join('; ')}`);
  return {
    label: source,
    campaign: { id: 1, urgency: (urgency as Urgency) ?? 'normal', policy: parsed.data },
  };
}

export function defaultOption(): CadenceOption {
  return {
    label: 'default cadence',
    campaign: { id: 1, urgency: 'normal', policy: DEFAULT_POLICY as CadencePolicy },
  };
}

export function runSimulation(request: SimulateRequest): RunsSummary {
  return simulateRuns(request.timing, request.runs, request.seed, (seed) => {
    const timing = plannerFor(request.timing, request.population, request.option.campaign, seed);
    return {
      population: request.population,
      campaign: request.option.campaign,
      prospects: request.prospects,
      ...(request.reps !== undefined ? { reps: request.reps } : {}),
      weeks: request.weeks,
      seed,
      startDay: request.startDay ?? DEFAULT_START_DAY,
      ...timing,
    };
  });
}
