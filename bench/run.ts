/**
 * `npm run bench -- NAME…`: runs the named benchmarks (all when none is named).
 */
const BENCHES: Record<string, () => Promise<unknown>> = {
  import: async () => (await import('./import.js')).run(),
  queue: async () => (await import('./queue.js')).run(),
  api: async () => (await import('./api.js')).run(),
  screen: async () => (await import('./screen.js')).run(),
  web: async () => (await import('./web.js')).run(),
  stats: async () => (await import('./stats.js')).run(),
  dnc: async () => (await import('./dnc.js')).run(),
  simulate: async () => (await import('./simulate.js')).run(),
  webhooks: async () => (await import('./webhooks.js')).run(),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length > 0 ? names : Object.keys(BENCHES);
for (const name of chosen) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  await bench();
}
