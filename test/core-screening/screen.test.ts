/**
 * Screening rule by rule (DESIGN.md "Screening an inbound call"), the callback list it reads,
 * and a property: no caller ID string, however odd, makes screening throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallbackEntry, callbackList, circle, describeWhy } from '../../src/core/callbacks/list.js';
import { readCallerId } from '../../src/core/screening/caller-id.js';
import {
  blockGreeting,
  type ScreenBlock,
  type ScreenContact,
  type ScreenInput,
  screenCall,
  whisperFor,
} from '../../src/core/screening/screen.js';

const NY = 'America/New_York';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
// Thursday 26 Nov 2026, 10:00 in New York.
const AT = Date.parse('2026-11-26T15:00:00Z');
const USER = 7;

const dana: ScreenContact = {
  id: 1,
  name: 'Dana Lee',
  company: 'Acme',
  ownerId: USER,
  numbers: [
    { e164: '+14155550101', kind: 'direct' },
    { e164: '+14155550100', kind: 'main' },
  ],
};
const sam: ScreenContact = {
  id: 2,
  name: 'Sam Roe',
  company: 'Acme',
  ownerId: 99,
  numbers: [
    { e164: '+14155550102', kind: 'mobile' },
    { e164: '+14155550100', kind: 'main' },
  ],
};
const block: ScreenBlock = { id: 5, startedAt: AT - 30 * MIN, plannedEndAt: AT + 90 * MIN, endedAt: null };
// Left on Tuesday 24 Nov, 11:00 New York.
const voicemail: CallbackEntry = {
  id: 11,
  contactId: 1,
  reason: 'voicemail_left',
  attemptId: 300,
  sinceAt: Date.parse('2026-11-24T16:00:00Z'),
  expiresAt: AT + 5 * DAY,
  clearedAt: null,
};

const input = (over: Partial<ScreenInput>): ScreenInput => ({
  callerId: '+14155550101',
  defaultCountry: 'US',
  zone: NY,
  userId: USER,
  block,
  contacts: [dana, sam],
  callbacks: [],
  appointments: [],
  at: AT,
  ...over,
});

describe('screening an inbound call', () => {
  it('rings when the user is not in a block, even for an unknown number', () => {
    const d = screenCall(input({ block: null, callerId: '+12125550199', contacts: [] }));
    expect(d).toMatchObject({ action: 'ring', reason: 'not_in_block', contact: null });
  });

  it('rings once the block has been stopped or has run past its planned end', () => {
    expect(screenCall(input({ block: { ...block, endedAt: AT - MIN } })).reason).toBe('not_in_block');
    expect(screenCall(input({ at: block.plannedEndAt })).reason).toBe('not_in_block');
  });

  it('puts a contact on the callback list through during a block, naming the voicemail that earned it', () => {
    const d = screenCall(input({ callbacks: [voicemail], callerId: '(415) 555-0101' }));
    expect(d.action).toBe('ring');
    expect(d.reason).toBe('callback_list');
    expect(d.contact).toMatchObject({ id: 1, name: 'Dana Lee', numberKind: 'direct' });
    expect(d.callbackFor).toMatchObject({ reason: 'voicemail_left', entryId: 11, attemptId: 300 });
    expect(whisperFor(d, NY, AT)).toBe('Callback from Dana Lee, Acme — your voicemail of Tuesday');
  });

  it('credits the callback even outside a block', () => {
    const d = screenCall(input({ block: null, callbacks: [voicemail] }));
    expect(d).toMatchObject({ action: 'ring', reason: 'not_in_block' });
    expect(d.callbackFor?.attemptId).toBe(300);
  });

  it('sends a known contact who is not expected to voicemail during a block', () => {
    const d = screenCall(input({ callerId: '+14155550102' }));
    expect(d).toMatchObject({ action: 'voicemail', reason: 'not_expected', callbackFor: null });
    expect(d.contact?.id).toBe(2);
    expect(blockGreeting(d, 'Rex', NY)).toContain("I'm on calls until 11:30");
  });

  it('sends unknown and withheld numbers to voicemail during a block', () => {
    expect(screenCall(input({ callerId: '+12125550199' })).reason).toBe('unknown_number');
    for (const withheld of ['', 'anonymous', 'Restricted', '+266696687', '+7378742833']) {
      expect(screenCall(input({ callerId: withheld }))).toMatchObject({
        action: 'voicemail',
        reason: 'withheld_number',
        contact: null,
      });
    }
  });

  it('matches a company main line shared by several contacts, the expected one first', () => {
    const entry: CallbackEntry = { ...voicemail, contactId: 2, id: 12, attemptId: 301 };
    const d = screenCall(input({ callerId: '+1 415 555 0100', callbacks: [entry] }));
    expect(d.action).toBe('ring');
    expect(d.contacts.map((c) => c.id)).toEqual([2, 1]);
    expect(d.contact).toMatchObject({ id: 2, numberKind: 'main' });
    expect(d.callbackFor?.attemptId).toBe(301);
    // Nobody expected on the main line: the user's own contact is shown first.
    expect(screenCall(input({ callerId: '+14155550100' })).contacts.map((c) => c.id)).toEqual([1, 2]);
  });

  it('ignores entries of contacts that do not own the calling number', () => {
    const d = screenCall(input({ callerId: '+14155550102', callbacks: [voicemail] }));
    expect(d).toMatchObject({ action: 'voicemail', callbackFor: null });
  });

  it('rings for an appointment within 30 minutes, and not 31 minutes before it', () => {
    const appt = {
      id: 3,
      contactId: 2,
      attemptId: 200,
      startsAt: AT + 30 * MIN,
      status: 'scheduled' as const,
    };
    const d = screenCall(input({ callerId: '+14155550102', appointments: [appt] }));
    expect(d).toMatchObject({ action: 'ring', reason: 'appointment_soon' });
    expect(d.callbackFor).toMatchObject({ appointmentId: 3, attemptId: 200 });
    const early = screenCall(
      input({ callerId: '+14155550102', appointments: [{ ...appt, startsAt: AT + 31 * MIN }] }),
    );
    expect(early.action).toBe('voicemail');
    const cancelled = screenCall(
      input({ callerId: '+14155550102', appointments: [{ ...appt, status: 'cancelled' }] }),
    );
    expect(cancelled.action).toBe('voicemail');
  });

  it('lets an expired or cleared entry drop off', () => {
    expect(screenCall(input({ callbacks: [{ ...voicemail, expiresAt: AT }] })).action).toBe('voicemail');
    expect(screenCall(input({ callbacks: [{ ...voicemail, clearedAt: AT - MIN }] })).action).toBe(
      'voicemail',
    );
    expect(screenCall(input({ callbacks: [{ ...voicemail, sinceAt: AT + MIN }] })).action).toBe('voicemail');
  });

  it('never throws on any caller ID string, and only rings outside a block or for the expected', () => {
    const odd = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.stringMatching(/^\+?[0-9 ()+.-]{0,30}$/),
      fc.constantFrom(
        '+266696687',
        'Anonymous',
        '',
        ' ',
        'client:alice',
        'sip:bob@example.com',
        '+',
        '00',
        '+0',
      ),
    );
    fc.assert(
      fc.property(
        odd,
        fc.boolean(),
        fc.constantFrom('US', 'GB', 'DE', 'XX', ''),
        (callerId, inBlock, country) => {
          const d = screenCall(
            input({
              callerId,
              block: inBlock ? block : null,
              defaultCountry: country,
              callbacks: [voicemail],
            }),
          );
          expect(['ring', 'voicemail']).toContain(d.action);
          if (!inBlock) expect(d.action).toBe('ring');
          if (d.action === 'ring' && inBlock) expect(d.contact?.id).toBe(1);
          if (d.caller.e164 === null) expect(d.contact).toBeNull();
          expect(typeof whisperFor(d, NY, AT)).toBe('string');
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('caller IDs', () => {
  it('reads the spellings providers send', () => {
    expect(readCallerId('+14155550101', 'US')).toEqual({ kind: 'number', e164: '+14155550101' });
    expect(readCallerId('tel:+1-415-555-0101', 'US')).toEqual({ kind: 'number', e164: '+14155550101' });
    expect(readCallerId('020 7946 0958', 'GB')).toEqual({ kind: 'number', e164: '+442079460958' });
    expect(readCallerId('+266696687', 'US')).toEqual({ kind: 'withheld' });
    expect(readCallerId('UNAVAILABLE', 'US')).toEqual({ kind: 'withheld' });
    expect(readCallerId('12', 'US')).toEqual({ kind: 'unreadable' });
    expect(readCallerId('x'.repeat(10_000), 'US')).toEqual({ kind: 'unreadable' });
  });
});

describe('the callback list', () => {
  it('shows one line per contact, an appointment about to start first, else the latest entry', () => {
    const older = { ...voicemail, id: 10, sinceAt: voicemail.sinceAt - DAY };
    const manual: CallbackEntry = { ...voicemail, id: 13, contactId: 2, reason: 'manual', sinceAt: AT - DAY };
    const appt = {
      id: 4,
      contactId: 2,
      attemptId: null,
      startsAt: AT + 10 * MIN,
      status: 'scheduled' as const,
    };
    const list = callbackList([older, voicemail, manual], [appt], AT);
    expect(list.map((l) => [l.contactId, l.reason, l.entryId])).toEqual([
      [2, 'appointment', null],
      [1, 'voicemail_left', 11],
    ]);
    expect(describeWhy(list[1]!, NY, AT)).toBe('voicemail left Tuesday 24 Nov 11:00');
    expect(describeWhy(list[0]!, NY, AT)).toBe('appointment today 10:10');
  });

  it('circles a contact for a week by default, until a given time otherwise, never into the past', () => {
    expect(circle(AT, null)).toEqual({ ok: true, sinceAt: AT, expiresAt: AT + 7 * DAY });
    expect(circle(AT, AT + DAY)).toEqual({ ok: true, sinceAt: AT, expiresAt: AT + DAY });
    expect(circle(AT, AT - 1)).toMatchObject({ ok: false });
    expect(circle(AT, AT + 400 * DAY)).toMatchObject({ ok: false });
  });
});
