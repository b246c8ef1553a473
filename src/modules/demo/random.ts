// A small seeded generator (sfc32) so that the same seed always builds the same city;
// Math.random cannot be seeded.
import { createHash } from 'node:crypto';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, state: readonly [number, number, number] = [0x9e3779b9, 0x243f6a88, 0xb7e15162]) {
    [this.a, this.b, this.c] = state;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /**
   * A generator of its own for one key (e.g. a person's id), seeded with 128 bits of its hash: at
   * hundreds of thousands of keys, a 32-bit seed would give some two of them the same stream (and ids).
   */
  static forKey(key: string): Random {
    const h = createHash('sha256').update(key).digest();
    return new Random(h.readUInt32LE(12), [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8)]);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1][0];
  }

  /** A version-4-shaped UUID drawn from this generator, so ids are reproducible too. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
