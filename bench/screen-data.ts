/**
 * The screening benchmark's world: one workspace with telephony set up, 20 users, 50,000
 * companies, N contacts with two numbers each (a direct line, and a mobile or — one contact in
 * ten — the company's main line), so 2 × N numbers; the receiving user "rex" owns every 20th
 * contact, is in a call block, and has 2,000 contacts on his callback list. Written straight
 * into a freshly migrated SQLite file; every value is a function of the row number.
 */
import type BetterSqlite3 from 'better-sqlite3';

export const SCREEN_DATA_VERSION = 'v1';
/** Wednesday 25 Nov 2026, 10:00 in New York: the in-process decisions are made then. */
export const NOW = Date.UTC(2026, 10, 25, 15, 0);
/**
 * The server answers webhooks on the machine's clock, so Rex's block and callback list span
 * 2026–2100 rather than a window around NOW.
 */
const SINCE = Date.UTC(2026, 0, 1);
const UNTIL = Date.UTC(2100, 0, 1);
export const USERS = 20;
export const COMPANIES = 50_000;
export const CALLBACKS = 2_000;
export const INBOUND = '+12125550111';
export const AUTH_TOKEN = 'bench-auth-token';
const MINUTE = 60_000;

const AREAS = [
  '212',
  '646',
  '718',
  '617',
  '305',
  '404',
  '312',
  '773',
  '214',
  '512',
  '303',
  '602',
  '415',
  '213',
  '310',
];
const FIRST = ['Dana', 'Sam', 'Ana', 'Ravi', 'Kim', 'Luis', 'Maya', 'Omar', 'Jo', 'Priya', 'Tom', 'Zoë'];
const LAST = ['Lee', 'Ortiz', 'Silva', 'Patel', 'Wu', 'García', 'Cohen', 'Nguyen', 'Smith', 'Okafor'];

/** The n-th number (1-based), unique for n up to 15 × 140,000: a valid US number. */
export function numberOf(n: number): string {
  const i = n - 1;
  const area = AREAS[i % AREAS.length]!;
  const rest = Math.floor(i / AREAS.length);
  const exchange = 320 + Math.floor(rest / 10_000);
  const line = String(rest % 10_000).padStart(4, '0');
  return `+1${area}${exchange}${line}`;
}

/** Contact c's direct line and second number (mobile, or main line for every tenth contact). */
export const directOf = (c: number) => numberOf(2 * c - 1);
export const secondOf = (c: number) => numberOf(2 * c);
export const REX = 1;
/** Rex owns every 20th contact; the first CALLBACKS of them are on his callback list. */
export const rexContact = (k: number) => 20 * k + 1;

export function loadScreenWorld(
  db: BetterSqlite3.Database,
  contacts: number,
  log: (s: string) => void,
): void {
  db.pragma('foreign_keys = OFF');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const t0 = performance.now();
  const settings = JSON.stringify({
    telephony: {
      accountSid: 'ACbench',
      authToken: AUTH_TOKEN,
      callerId: '+12125550100',
      numbers: { [INBOUND]: 'rex@bench.test' },
    },
  });
  db.prepare(
    `insert into workspaces (id, name, default_country, time_zone, settings, created_at) values (1, 'Bench', 'US', 'America/New_York', ?, 0)`,
  ).run(settings);
  const user = db.prepare(
    `insert into users (id, workspace_id, email, name, role, phone, time_zone, created_at) values (?, 1, ?, ?, 'rep', ?, 'America/New_York', 0)`,
  );
  for (let u = 1; u <= USERS; u++) {
    user.run(
      u,
      u === REX ? 'rex@bench.test' : `rep${u}@bench.test`,
      u === REX ? 'Rex' : `Rep ${u}`,
      `+1202555${String(1000 + u)}`,
    );
  }
  const company = db.prepare(
    `insert into companies (id, workspace_id, name, name_key, created_at) values (?, 1, ?, ?, 0)`,
  );
  const contact = db.prepare(
    `insert into contacts (id, workspace_id, first_name, last_name, company_id, owner_id, time_zone, created_at, updated_at) values (?, 1, ?, ?, ?, ?, 'America/New_York', 0, 0)`,
  );
  const number = db.prepare(
    `insert into numbers (id, workspace_id, e164, country, valid, created_at) values (?, 1, ?, 'US', 1, 0)`,
  );
  const link = db.prepare(
    `insert into contact_numbers (contact_id, number_id, kind, source, created_at) values (?, ?, ?, 'import', 0)`,
  );
  const run = db.transaction((from: number, to: number) => {
    for (let c = from; c < to; c++) {
      contact.run(
        c,
        FIRST[c % FIRST.length],
        LAST[(c * 7) % LAST.length],
        (c % COMPANIES) + 1,
        (c % USERS) + 1,
      );
      number.run(2 * c - 1, directOf(c));
      number.run(2 * c, secondOf(c));
      link.run(c, 2 * c - 1, 'direct');
      link.run(c, 2 * c, c % 10 === 0 ? 'main' : 'mobile');
    }
  });
  db.transaction(() => {
    for (let k = 1; k <= COMPANIES; k++) company.run(k, `Company ${k}`, `company ${k}`);
  })();
  for (let from = 1; from <= contacts; from += 100_000) run(from, Math.min(contacts + 1, from + 100_000));
  const entry = db.prepare(
    `insert into callback_entries (workspace_id, user_id, contact_id, reason, attempt_id, since_at, expires_at) values (1, ?, ?, 'voicemail_left', null, ?, ?)`,
  );
  db.transaction(() => {
    for (let k = 0; k < CALLBACKS; k++) entry.run(REX, rexContact(k), SINCE + k * MINUTE, UNTIL);
  })();
  db.prepare(
    `insert into call_blocks (workspace_id, user_id, started_at, planned_end_at, ended_at, stats) values (1, ?, ?, ?, null, '{}')`,
  ).run(REX, SINCE, UNTIL);
  db.exec('analyze');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  log(
    `  ${contacts.toLocaleString('en-US')} contacts, ${(2 * contacts).toLocaleString('en-US')} numbers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

/**
 * The same world on PostgreSQL, made by the server itself with generate_series (every value
 * is a function of the row number, written in SQL as numberOf and the names are above), into
 * a freshly migrated database; the sequences are moved past the ids written.
 */
export async function loadScreenWorldPostgres(
  client: { query(text: string, values?: unknown[]): Promise<unknown> },
  contacts: number,
  log: (s: string) => void,
): Promise<void> {
  const t0 = performance.now();
  const lit = (xs: readonly string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;
  // numberOf(n) in SQL, for an expression n.
  const numberSql = (n: string) =>
    `'+1' || (${lit(AREAS)})[((${n}) - 1) % ${AREAS.length} + 1] ` +
    `|| (320 + ((${n}) - 1) / ${AREAS.length} / 10000)::text ` +
    `|| lpad((((${n}) - 1) / ${AREAS.length} % 10000)::text, 4, '0')`;
  const settings = JSON.stringify({
    telephony: {
      accountSid: 'ACbench',
      authToken: AUTH_TOKEN,
      callerId: '+12125550100',
      numbers: { [INBOUND]: 'rex@bench.test' },
    },
  });
  await client.query(
    `insert into workspaces (id, name, default_country, time_zone, settings, created_at) values (1, 'Bench', 'US', 'America/New_York', $1, 0)`,
    [settings],
  );
  await client.query(
    `insert into users (id, workspace_id, email, name, role, phone, time_zone, created_at)
     select u, 1, case when u = ${REX} then 'rex@bench.test' else 'rep' || u || '@bench.test' end,
            case when u = ${REX} then 'Rex' else 'Rep ' || u end, 'rep', '+1202555' || (1000 + u), 'America/New_York', 0
     from generate_series(1, ${USERS}) u`,
  );
  await client.query(
    `insert into companies (id, workspace_id, name, name_key, created_at)
     select k, 1, 'Company ' || k, 'company ' || k, 0 from generate_series(1, ${COMPANIES}) k`,
  );
  await client.query(
    `insert into contacts (id, workspace_id, first_name, last_name, company_id, owner_id, time_zone, created_at, updated_at)
     select c, 1, (${lit(FIRST)})[c % ${FIRST.length} + 1], (${lit(LAST)})[(c * 7) % ${LAST.length} + 1],
            c % ${COMPANIES} + 1, c % ${USERS} + 1, 'America/New_York', 0, 0
     from generate_series(1, ${contacts}) c`,
  );
  log(`  contacts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await client.query(
    `insert into numbers (id, workspace_id, e164, country, valid, created_at)
     select n, 1, ${numberSql('n')}, 'US', 1, 0 from generate_series(1, ${2 * contacts}) n`,
  );
  log(`  numbers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await client.query(
    `insert into contact_numbers (contact_id, number_id, kind, source, created_at)
     select (n + 1) / 2, n, case when n % 2 = 1 then 'direct' when ((n + 1) / 2) % 10 = 0 then 'main' else 'mobile' end, 'import', 0
     from generate_series(1, ${2 * contacts}) n`,
  );
  // A small world has fewer of Rex's contacts to wait for (foreign keys are checked here).
  await client.query(
    `insert into callback_entries (workspace_id, user_id, contact_id, reason, attempt_id, since_at, expires_at)
     select 1, ${REX}, 20 * k + 1, 'voicemail_left', null, ${SINCE} + k * ${MINUTE}, ${UNTIL}
     from generate_series(0, ${CALLBACKS - 1}) k
     where 20 * k + 1 <= ${contacts}`,
  );
  await client.query(
    `insert into call_blocks (workspace_id, user_id, started_at, planned_end_at, ended_at, stats) values (1, ${REX}, ${SINCE}, ${UNTIL}, null, '{}')`,
  );
  for (const table of ['workspaces', 'users', 'companies', 'contacts', 'numbers']) {
    await client.query(
      `select setval(pg_get_serial_sequence('${table}', 'id'), (select coalesce(max(id), 0) + 1 from ${table}), false)`,
    );
  }
  await client.query('analyze');
  log(
    `  ${contacts.toLocaleString('en-US')} contacts, ${(2 * contacts).toLocaleString('en-US')} numbers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
