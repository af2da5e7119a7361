/**
 * Holdout assignment. It must be stable (a subscriber never flips between groups, or
 * the lift estimate is meaningless), independent per trigger (being held out of one
 * play says nothing about another), and computable anywhere without I/O, so it is a
 * hash of the identifiers rather than a stored coin flip.
 */

/** FNV-1a (32-bit) over UTF-16 code units, then a murmur3 finaliser to spread the low bits. */
function hash32(input: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Plain FNV-1a clusters on inputs differing only in a trailing counter; the finaliser fixes that.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The subscriber's position in [0, 100) for this shop and trigger, to 0.01. */
export function holdoutBucket(shopId: string, triggerId: string, subscriberId: string): number {
  // A separator that cannot occur in ids keeps ("ab","c") and ("a","bc") apart.
  return (hash32(`${shopId}\u0000${triggerId}\u0000${subscriberId}`) % 10_000) / 100;
}

/** True when the subscriber is in the trigger's holdout group. */
export function isHoldout(shopId: string, triggerId: string, subscriberId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  return holdoutBucket(shopId, triggerId, subscriberId) < percent;
}
