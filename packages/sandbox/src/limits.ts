// What a request may cost, checked before anything parses it deeply: its size, how deep its JSON
// nests (a deeply nested body overflows the stack of every recursive JSON tool: JSON.stringify,
// Ajv, Prism), and how many violations an answer lists (each one costs validator work).

export interface Limits {
  /** The largest request body, in bytes: a larger one gets 413. */
  bodyBytes: number;
  /** The deepest nesting of arrays and objects in a JSON body: a deeper one gets 400. */
  depth: number;
  /** How many violations a 400 lists at most (the first ones found). */
  violations: number;
}

export const defaultLimits: Readonly<Limits> = { bodyBytes: 1024 * 1024, depth: 64, violations: 20 };

/** The smallest and largest value each limit takes. */
export const limitBounds: Readonly<Record<keyof Limits, readonly [number, number]>> = {
  bodyBytes: [1, 64 * 1024 * 1024],
  depth: [1, 1000],
  violations: [1, 1000],
};

/** The defaults with `overrides` applied; a value out of its bounds throws, naming the limit. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...defaultLimits };
  for (const key of Object.keys(limitBounds) as (keyof Limits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    const [min, max] = limitBounds[key];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`limits.${key} must be a whole number from ${min} to ${max}; got ${String(value)}`);
    limits[key] = value;
  }
  return limits;
}

/**
 * Whether a JSON text nests deeper than `max` arrays and objects, found by one pass over the text
 * (strings skipped), so a hostile body is refused before JSON.parse builds it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
