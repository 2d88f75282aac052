/**
 * TwiML built once per shape and then only filled in. Twilio's builder stays the source of
 * the markup: each template is rendered by it with markers where the values go, and a render
 * substitutes the values escaped as its XML writer escapes them (text: & < > CR; attributes:
 * & < " TAB LF CR). On the inbound webhook the builder cost more per call than the database
 * reads; test/twiml.test.ts checks that every render equals the builder's own output.
 *
 *   const greeting = twimlTemplate((slot) => {
 *     const r = new VoiceResponse();
 *     r.say(slot.text('greeting'));
 *     return r.toString();
 *   });
 *   greeting.render({ greeting: "I'm on calls until 11:30." });
 *
 * Text is also cleared of the characters XML 1.0 cannot carry (control characters, lone
 * surrogates), on which the builder would throw and the caller would hear an error; attribute
 * values are written as the builder writes them (it does not check those).
 */

/** Characters XML 1.0 forbids; the builder throws on them in text. */
const ILLEGAL =
  /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value fit for a TwiML text node or attribute, before escaping. */
export function xmlLegal(value: string): string {
  return value.replace(ILLEGAL, '');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

export interface Slots<K extends string> {
  /** A marker for a value that goes in a text node. */
  text(name: K): string;
  /** A marker for a value that goes in an attribute. */
  attribute(name: K): string;
}

export interface TwimlTemplate<K extends string> {
  render(values: Record<K, string>): string;
}

// Private-use characters: legal XML the builder leaves alone, and never in a template's own text.
const OPEN = '\uE000';
const CLOSE = '\uE001';

export function twimlTemplate<K extends string>(build: (slots: Slots<K>) => string): TwimlTemplate<K> {
  const kinds = new Map<string, 'text' | 'attribute'>();
  const marker = (kind: 'text' | 'attribute') => (name: K) => {
    kinds.set(name, kind);
    return `${OPEN}${name}${CLOSE}`;
  };
  const rendered = build({ text: marker('text'), attribute: marker('attribute') });
  // Alternating: literal, slot name, literal, slot name, …, literal.
  const parts = rendered.split(new RegExp(`${OPEN}|${CLOSE}`));
  const literals: string[] = [];
  const slots: { name: K; escape: (v: string) => string }[] = [];
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 0) {
      literals.push(part);
      continue;
    }
    const kind = kinds.get(part);
    if (kind === undefined) throw new Error(`TwiML template: unknown slot "${part}"`);
    slots.push({
      name: part as K,
      escape: kind === 'text' ? (v: string) => escapeText(xmlLegal(v)) : escapeAttribute,
    });
  }
  const textSlots = slots.filter((slot) => kinds.get(slot.name) === 'text').map((slot) => slot.name);
  return {
    render(values) {
      // An empty text node is written as a self-closing element: a shape of its own, so the builder writes it.
      if (textSlots.some((name) => xmlLegal(values[name]) === '')) {
        return build({ text: (name) => xmlLegal(values[name]), attribute: (name) => values[name] });
      }
      let out = literals[0]!;
      for (const [i, slot] of slots.entries()) {
        out += slot.escape(values[slot.name]) + literals[i + 1]!;
      }
      return out;
    },
  };
}
