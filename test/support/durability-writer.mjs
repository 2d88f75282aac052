// Child process for the kill -9 test: commits one contact per transaction and prints its id
// only after the commit returned, i.e. once the write is acknowledged.
import { migrateToLatest, openStore } from '../../dist/store/db.js';
import { ensureDefaultWorkspace } from '../../dist/store/workspace-repo.js';
import { inWriteTransaction } from '../../dist/store/write-transaction.js';

const store = openStore({ sqlitePath: process.argv[2] });
await migrateToLatest(store);
const workspace = await ensureDefaultWorkspace(store.db, 0);
process.stdout.write('ready\n');
for (let i = 1; ; i++) {
  const id = await inWriteTransaction(store, async (trx) => {
    const row = await trx
      .insertInto('contacts')
      .values({ workspace_id: workspace.id, first_name: `Writer ${i}`, created_at: i, updated_at: i })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
  process.stdout.write(`${id}\n`);
}
