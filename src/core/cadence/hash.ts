/**
 * Reproducible "randomness" for the cadence: a hash of what identifies a decision, so the
 * same enrollment at the same point always gets the same jitter and the same experiment arm.
 */

/** FNV-1a over the parts, mixed, mapped to [0, 1). */
export function unitHash(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${part}|`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  // A final avalanche so nearby ids spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
