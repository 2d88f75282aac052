/**
 * The simulator's three timings: what the cadence knows about when people answer.
 * - `fixed`: the cadence as configured, learning off.
 * - `adaptive`: the product's best-time model, learning from the simulated outcomes as they
 *   happen (refreshed at the start of every block), nothing known in advance.
 * - `oracle`: the same slot choice fed each segment's true answer curves — an upper bound that
 *   knows no prospect's own propensity and obeys every rule the others obey.
 */
import { nextStep } from '../core/cadence/next-step.js';
import type { Observer, Planner, SimCampaign, Timing } from './engine.js';
import type { Population } from './population.js';

export interface TimingHooks {
  planner?: Planner;
  observe?: Observer;
  onBlock?: (at: number) => void;
}

export function plannerFor(
  timing: Timing,
  population: Population,
  campaign: SimCampaign,
  seed: number,
): TimingHooks {
  void population;
  void campaign;
  void seed;
  switch (timing) {
    case 'fixed':
      return { planner: (input) => nextStep(input) };
    case 'adaptive':
    case 'oracle':
      throw new Error(`--timing ${timing} needs the best-time model in the cadence`);
  }
}
