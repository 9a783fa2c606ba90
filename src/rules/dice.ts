// Seeded dice: sfc32 seeded through splitmix32. Pure and snapshot-able (getState / fromState).

export interface Dice {
  d6(): number;
  roll(n: number): number[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string seed to 32 bits. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const D6_LIMIT = 4294967292; // largest multiple of 6 not above 2^32: rejection keeps d6 uniform

export class SeededDice implements Dice {
  private s: [number, number, number, number];

  constructor(state: readonly number[]) {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new Error("dice state must be four unsigned 32-bit integers");
    }
    this.s = [state[0]!, state[1]!, state[2]!, state[3]!];
  }

  static fromState(state: readonly number[]): SeededDice {
    return new SeededDice(state);
  }

  /** The next raw 32-bit output of sfc32. */
  next(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    this.s = [a, b, c, d];
    return t;
  }

  d6(): number {
    for (;;) {
      const x = this.next();
      if (x < D6_LIMIT) return (x % 6) + 1;
    }
  }

  roll(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.d6());
    return out;
  }

  getState(): number[] {
    return [...this.s];
  }
}

/** Dice seeded from a 32-bit number or a string. */
export function createDice(seed: number | string): SeededDice {
  const mix = splitmix32(typeof seed === "string" ? hashString(seed) : seed >>> 0);
  const dice = new SeededDice([mix(), mix(), mix(), mix()]);
  for (let i = 0; i < 12; i++) dice.next(); // warm-up
  return dice;
}

export function fromState(state: readonly number[]): SeededDice {
  return SeededDice.fromState(state);
}

/** Dice for tests: yields the given values in order and throws when they run out. */
export function fixedDice(values: readonly number[]): Dice & { remaining(): number } {
  const queue = [...values];
  for (const v of queue) if (!Number.isInteger(v) || v < 1 || v > 6) throw new Error(`fixedDice: ${v} is not a d6 value`);
  const d6 = () => {
    const v = queue.shift();
    if (v === undefined) throw new Error("fixedDice: ran out of dice");
    return v;
  };
  return { d6, roll: (n: number) => Array.from({ length: n }, d6), remaining: () => queue.length };
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
