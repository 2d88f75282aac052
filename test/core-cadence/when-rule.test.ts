import { describe, expect, it } from 'vitest';
import { OUTCOMES, whenRule } from '../../src/core/cadence/types.js';

describe('which outcomes take a time', () => {
  it('needs a time for a callback, an appointment and away; takes one from reception if said; none for the rest', () => {
    const withRule = (rule: string) => OUTCOMES.filter((o) => whenRule(o) === rule);
    expect(withRule('needs')).toEqual(['callback_requested', 'appointment_set', 'away']);
    expect(withRule('may')).toEqual(['gatekeeper']);
    expect(withRule('none')).toEqual([
      'connected',
      'voicemail_left',
      'voicemail_skipped',
      'no_answer',
      'busy',
      'bad_number',
      'wrong_person',
      'not_interested',
      'do_not_call',
      'won',
    ]);
  });
});
