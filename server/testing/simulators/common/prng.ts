/**
 * Deterministic randomness for the simulators.
 *
 * Why this exists: seeded data must be reproducible from (seed, index) alone so that a
 * million-record dataset never has to be materialised, and fault decisions must come from a
 * seeded PRNG so that a failing test can be replayed exactly.
 */

/** A 32-bit integer hash of (seed, index, salt) — murmur3's finaliser over a simple mix. */
export function hash32(seed: number, index: number, salt = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index >>> 0), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ Math.floor(index / 0x100000000), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (salt >>> 0) ^ (h >>> 15), 0x27d4eb2f) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A float in [0, 1) from (seed, index, salt). */
export function unit(seed: number, index: number, salt = 0): number {
  return hash32(seed, index, salt) / 0x100000000;
}

/** An integer in [min, max] from (seed, index, salt). */
export function intIn(seed: number, index: number, salt: number, min: number, max: number): number {
  return min + Math.floor(unit(seed, index, salt) * (max - min + 1));
}

/** One element of `list` chosen by (seed, index, salt). */
export function pickOf<T>(list: readonly T[], seed: number, index: number, salt: number): T {
  return list[hash32(seed, index, salt) % list.length];
}

/** Sequential PRNG (mulberry32) for fault decisions. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed ^ 0x6d2b79f5) >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  }
  /** true with probability p (p ≤ 0 never consumes a draw, so a zero rate changes nothing). */
  chance(p: number): boolean {
    if (!(p > 0)) return false;
    return this.next() < p;
  }
}

/** Hex string of `len` chars derived from (seed, index, salt). */
export function hexOf(seed: number, index: number, salt: number, len: number): string {
  let out = "";
  let k = 0;
  while (out.length < len) {
    out += hash32(seed, index, salt * 131 + k).toString(16).padStart(8, "0");
    k++;
  }
  return out.slice(0, len);
}
