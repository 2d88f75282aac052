/**
 * Taking contacts out of the queue by hand: snooze until a time, or do-not-call (rule 13)
 * for a number or a whole contact, workspace-wide.
 */
import type { CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../core/phone/normalize.js';
import { parseWhen } from '../core/when/parse-when.js';
import { contactById, markContactDoNotCall, markNumberDoNotCall } from '../store/attempt-repo.js';
import type { Store } from '../store/db.js';
import type { User } from '../store/schema.js';
import { workspaceOfActor } from '../store/workspace-repo.js';
import { inWriteTransaction } from '../store/write-transaction.js';
import { invalid } from './errors.js';
import { emitDoNotCallEnded } from './webhook-events.js';

export async function snoozeContact(
  store: Store,
  req: { user: User | null; contactId: number; until: string; now: number },
): Promise<{ contactId: number; until: string; enrollments: number }> {
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  const parsed = parseWhen(req.until, { now: req.now, zone: req.user?.time_zone ?? workspace.time_zone });
  if (!parsed.ok) throw invalid(`--until: ${parsed.message}`);
  return inWriteTransaction(store, async (db) => {
    const contact = await contactById(db, workspace.id, req.contactId);
    if (!contact) throw invalid(`there is no contact ${req.contactId}`);
    const result = await db
      .updateTable('enrollments')
      .set({ state: 'snoozed', next_due_at: parsed.at, due_kind: 'retry', updated_at: req.now })
      .where('contact_id', '=', contact.id)
      .where('state', 'in', ['new', 'active', 'snoozed'])
      .executeTakeFirst();
    return {
      contactId: contact.id,
      until: new Date(parsed.at).toISOString(),
      enrollments: Number(result.numUpdatedRows),
    };
  });
}

/** Only a bare integer can be a contact id; it is one when such a contact exists, else a number. */
function mayBeContactId(value: string): boolean {
  return /^\d{1,15}$/.test(value.trim());
}

export async function doNotCall(
  store: Store,
  req: { user: User | null; target: string; now: number; reason?: string },
): Promise<{ kind: 'contact' | 'number'; target: string; added: boolean }> {
  const workspace = await workspaceOfActor(store.db, req.user, req.now);
  return inWriteTransaction(store, async (db) => {
    const contact = mayBeContactId(req.target)
      ? await contactById(db, workspace.id, Number(req.target))
      : undefined;
    if (contact) {
      const change = await markContactDoNotCall(
        db,
        workspace.id,
        contact.id,
        'manual',
        req.reason ?? 'marked by hand',
        req.user?.id ?? null,
        req.now,
      );
      await emitDoNotCallEnded(db, workspace.id, contact.id, change.enrollments, req.now);
      return { kind: 'contact', target: String(contact.id), added: contact.do_not_call !== 1 };
    }
    const parsed = normalizePhone(req.target, workspace.default_country as CountryCode);
    if (!parsed.ok) throw invalid(`${req.target}: ${parsed.reason}`);
    const added = await markNumberDoNotCall(
      db,
      workspace.id,
      parsed.e164,
      'manual',
      req.reason ?? 'marked by hand',
      req.user?.id ?? null,
      req.now,
    );
    return { kind: 'number', target: parsed.e164, added };
  });
}
