/** The demo's seeded generator: the one in core/random.ts. */
export { createRng, type Rng } from '../random.js';
