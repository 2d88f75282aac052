/**
 * Recording consent: in these states every party to a call must agree to its recording, so a
 * recorded call where either party is in one starts with a notice. The list is the one the
 * product's compliance rules name (CA, DE, FL, IL, MD, MA, MT, NV, NH, PA, WA). NOT LEGAL ADVICE.
 */
export const ALL_PARTY_CONSENT_STATES: ReadonlySet<string> = new Set([
  'CA',
  'DE',
  'FL',
  'IL',
  'MD',
  'MA',
  'MT',
  'NV',
  'NH',
  'PA',
  'WA',
]);

export const CONSENT_NOTICE = 'This call is recorded. By staying on the line you agree to the recording.';

/** Whether a recorded call between parties in these states (USPS codes, null when unknown) needs the notice. */
export function needsConsentNotice(recording: boolean, states: readonly (string | null)[]): boolean {
  return recording && states.some((s) => s !== null && ALL_PARTY_CONSENT_STATES.has(s));
}
