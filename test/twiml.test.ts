/**
 * The TwiML templates answer exactly what twilio's VoiceResponse builds for the same values:
 * every shape, for seeded random values full of what XML must escape (& < > " ' TAB LF CR),
 * non-ASCII text and emoji; characters XML cannot carry are dropped from text, where the
 * builder would throw.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { describe, expect, it } from 'vitest';
import { TWIML, whisperTwiml } from '../src/app/telephony.js';
import { xmlLegal } from '../src/app/twiml.js';
import { mulberry32 } from '../src/core/random.js';

const ALPHABET = [
  ...'abcXYZ 019+-_.:/?=%#;',
  '&',
  '<',
  '>',
  '"',
  "'",
  '\t',
  '\n',
  '\r',
  '&amp;',
  ']]>',
  'é',
  'ß',
  '—',
  '漢',
  '😀',
  '\uE000',
  '\uE001',
];
const ILLEGAL = ['\u0000', '\u0001', '\u0008', '\u000B', '\u001F', '\uFFFE', '\uD800', '\uDC00'];

function randomValue(rng: () => number, withIllegal: boolean): string {
  const length = Math.floor(rng() * 40);
  let s = '';
  for (let i = 0; i < length; i++) {
    const pool = withIllegal && rng() < 0.1 ? ILLEGAL : ALPHABET;
    s += pool[Math.floor(rng() * pool.length)];
  }
  return s;
}

describe('TwiML templates', () => {
  it('renders every shape exactly as the twilio builder does, for 2,000 random value sets', () => {
    const rng = mulberry32(5);
    for (let i = 0; i < 2000; i++) {
      const [a, b, c] = [randomValue(rng, false), randomValue(rng, false), randomValue(rng, false)];

      const greeting = new VoiceResponse();
      greeting.say(a);
      greeting.record({
        action: b,
        method: 'POST',
        maxLength: 120,
        playBeep: true,
        transcribe: true,
        transcribeCallback: c,
      });
      expect(TWIML.greeting.render({ greeting: a, recording: b, transcription: c })).toBe(
        greeting.toString(),
      );

      const dial = new VoiceResponse();
      dial.dial({ timeout: 25, answerOnBridge: true }).number({ url: a, method: 'POST' }, b);
      expect(TWIML.dial.render({ whisperUrl: a, phone: b })).toBe(dial.toString());

      const noPhone = new VoiceResponse();
      noPhone.say('Please leave a message after the tone.');
      noPhone.record({ action: c, method: 'POST', maxLength: 120, playBeep: true });
      expect(TWIML.noPhone.render({ recording: c })).toBe(noPhone.toString());

      const whisper = new VoiceResponse();
      whisper.say(a.slice(0, 500));
      expect(whisperTwiml(a)).toBe(whisper.toString());
    }
  });

  it('renders the fixed answers as the builder does', () => {
    const notInService = new VoiceResponse();
    notInService.say('Sorry, this number is not in service.');
    notInService.hangup();
    expect(TWIML.notInService.render({})).toBe(notInService.toString());
    const goodbye = new VoiceResponse();
    goodbye.say('Thank you. Goodbye.');
    goodbye.hangup();
    expect(TWIML.goodbye.render({})).toBe(goodbye.toString());
  });

  it('drops the characters XML cannot carry from text, where the builder would throw', () => {
    expect(() => new VoiceResponse().say('a\u0001b').toString()).toThrow(/Invalid character/);
    const rng = mulberry32(6);
    for (let i = 0; i < 500; i++) {
      const text = randomValue(rng, true);
      const built = new VoiceResponse();
      built.say(xmlLegal(text));
      expect(whisperTwiml(text)).toBe(built.toString());
    }
    expect(whisperTwiml('Callback from Dana\u0000 Lee')).toContain('<Say>Callback from Dana Lee</Say>');
  });
});
