/**
 * A small seeded pseudo-random number generator for reproducible statistics
 * (bootstrap resampling, simulations in tests). xoshiro128** seeded through splitmix32:
 * the same seed gives the same stream on every platform and Node version.
 */

/** A seeded source of uniform random numbers. */
export interface Rng {
  /** The seed this generator was created from. */
  readonly seed: number;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform integer in [0, bound), without modulo bias; `bound` in 1..2^32. */
  int(bound: number): number;
}

const TWO_32 = 4294967296;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator from a seed. Any finite number is accepted; integers up to 2^53
 * keep all their bits (the low and high 32-bit halves are both mixed in).
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const low = whole >>> 0;
  const high = Math.floor(Math.abs(whole) / TWO_32) >>> 0;
  const mix = splitmix32(low ^ Math.imul(high, 0x27d4eb2f) ^ (whole < 0 ? 0x5bd1e995 : 0));
  return new Xoshiro128(seed, mix(), mix(), mix(), mix());
}

/** xoshiro128** (Blackman & Vigna); a class so that V8 keeps the state in fast fields. */
class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(
    readonly seed: number,
    a: number,
    b: number,
    c: number,
    d: number,
  ) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  nextUint32(): number {
    const b = this.b;
    const x = Math.imul(b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b = b ^ this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  next(): number {
    return this.nextUint32() / TWO_32;
  }

  int(bound: number): number {
    if (!(bound >= 1 && bound <= TWO_32) || bound !== Math.floor(bound)) {
      throw new RangeError(`bound must be an integer in 1..2^32, got ${bound}`);
    }
    // Rejection sampling: accept only draws below the largest multiple of `bound`.
    const limit = TWO_32 - (TWO_32 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }
}

/** A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity). */
export function normal(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
