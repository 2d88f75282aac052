/**
 * The rule for {{hook}}: a notes line marked "hook:" first, else the first interest, else
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { hookFor } from '../../src/core/scripts/render.js';

describe('hookFor', () => {
  it('uses a notes line marked "hook:", in any case, over the interests', () => {
    expect(hookFor('NetSuite', 'Budget in Q3.\nHook: I saw you moved to NetSuite last spring')).toBe(
      'I saw you moved to NetSuite last spring',
    );
    expect(hookFor('', '  HOOK :  you asked about the fall collection')).toBe(
      'you asked about the fall collection',
    );
  });

  it('takes only the first sentence of the hook line, without its final punctuation', () => {
    expect(hookFor('', 'hook: your team has doubled since last year. Ask about hiring!')).toBe(
      'your team has doubled since last year',
    );
    expect(hookFor('', 'hook: congratulations on the Series B!')).toBe('congratulations on the Series B');
  });

  it('never reads unmarked notes aloud', () => {
    expect(hookFor('', 'Husband answers usually; she is home after 6.')).toBe('');
    expect(hookFor('', 'Note: hook: not at the start of the line')).toBe('');
  });

  it('skips a hook line that is empty or longer than 16 words, falling back to the interests', () => {
    expect(hookFor('candles', 'hook:   ')).toBe('I understand you’re interested in candles');
    const long = 'hook: ' + Array.from({ length: 17 }, (_, i) => `word${i}`).join(' ');
    expect(hookFor('candles', long)).toBe('I understand you’re interested in candles');
    const sixteen = 'hook: ' + Array.from({ length: 16 }, (_, i) => `word${i}`).join(' ');
    expect(hookFor('candles', sixteen)).toBe(sixteen.slice('hook: '.length));
  });

  it('makes a phrase from the first interest, separated by commas, semicolons or new lines', () => {
    expect(hookFor('AP automation, NetSuite', '')).toBe('I understand you’re interested in AP automation');
    expect(hookFor(' month-end close ; spend controls', '')).toBe(
      'I understand you’re interested in month-end close',
    );
    expect(hookFor('Go\nPostgreSQL', '')).toBe('I understand you’re interested in Go');
  });

  it('uses only the first interest, and none that runs past five words', () => {
    expect(hookFor('wants to hear about everything you sell, candles', '')).toBe('');
    expect(hookFor('home fragrance and seasonal decor', '')).toBe(
      'I understand you’re interested in home fragrance and seasonal decor',
    );
  });

  it('is empty when neither notes nor interests give anything', () => {
    expect(hookFor('', '')).toBe('');
    expect(hookFor(' , ; ', 'Prefers mornings.')).toBe('');
  });
});
