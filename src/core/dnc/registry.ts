/**
 * Which registry lists bar a number, and when a stale list holds numbers back. Registries
 * protect people: the US, Canadian and UK TPS lists bar a consumer's numbers and anyone's
 * personal mobile or home number, even in a business campaign; the UK CTPS bars companies'
 * numbers. A list older than its registry allows (US and Canada 31 days, UK 28) can no longer
 * be trusted, so — a workspace setting, on by default — every number in what it covered waits
 * until a fresh one is loaded.
 */
import type { ContactKind, NumberKind } from '../contact-fields.js';
import { daysBetween } from '../time/zoned.js';
import { REGISTRY_NAMES, type RegistrySource } from './registry-file.js';

export const MAX_AGE_DAYS: Record<RegistrySource, number> = {
  'us-national': 31,
  'ca-dncl': 31,
  'uk-tps': 28,
  'uk-ctps': 28,
};

export interface RegistryList {
  source: RegistrySource;
  /** The registry's date for the list ('YYYY-MM-DD'). */
  asOf: string;
  /** E.164 digit prefixes it covers: "1212" per area code, "44" for the UK. */
  coverage: readonly string[];
}

/** Whether a number reaches a person (the registries for people) rather than a company. */
export function isPersonal(contactKind: ContactKind, numberKind: NumberKind): boolean {
  return contactKind === 'consumer' || numberKind === 'mobile' || numberKind === 'home';
}

function applies(source: RegistrySource, personal: boolean): boolean {
  return source === 'uk-ctps' ? !personal : personal;
}

/** Days since the list's date, and whether that is more than its registry allows. */
export function listAge(
  list: Pick<RegistryList, 'source' | 'asOf'>,
  today: string,
): { days: number; stale: boolean } {
  const days = daysBetween(list.asOf, today);
  return { days, stale: days > MAX_AGE_DAYS[list.source] };
}

/**
 * Why a registry bars this number now, in words; null when none does. `listedIn` are the
 * sources whose current lists hold the number; `today` is the caller's date ('YYYY-MM-DD').
 */
export function registryBlock(
  number: { e164: string; kind: NumberKind },
  contactKind: ContactKind,
  listedIn: readonly RegistrySource[],
  lists: readonly RegistryList[],
  today: string,
  holdBackStale: boolean,
): string | null {
  const personal = isPersonal(contactKind, number.kind);
  for (const source of listedIn) {
    if (!applies(source, personal)) continue;
    const list = lists.find((l) => l.source === source);
    return `${number.e164} is on the ${REGISTRY_NAMES[source]}${list ? ` (list of ${list.asOf})` : ''}`;
  }
  if (!holdBackStale) return null;
  const digits = number.e164.slice(1);
  for (const list of lists) {
    if (!applies(list.source, personal)) continue;
    const { days, stale } = listAge(list, today);
    if (!stale || !list.coverage.some((prefix) => digits.startsWith(prefix))) continue;
    return (
      `${number.e164} is held back: the ${REGISTRY_NAMES[list.source]} list loaded is ${days} days old ` +
      `(as of ${list.asOf}; at most ${MAX_AGE_DAYS[list.source]} allowed), so numbers it covers wait for a fresh one`
    );
  }
  return null;
}
