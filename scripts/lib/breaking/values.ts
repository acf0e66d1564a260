// Small helpers over JSON values and type names, shared by the rule families.

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const show = (value: unknown) => JSON.stringify(value);

/** The values of `list` that are (or, with `keep` false, are not) in `other`, equal as JSON; linear. */
export const filterBy = (list: unknown[], other: unknown[], keep: boolean) => {
  const texts = new Set(other.map((value) => JSON.stringify(value)));
  return list.filter((value) => texts.has(JSON.stringify(value)) === keep);
};

export const without = (list: unknown[], other: unknown[]) => filterBy(list, other, false);

/** Whether two lists share a value (equal as JSON). */
export const share = (x: unknown[], y: unknown[]) => filterBy(x, y, true).length > 0;

/** `key X added`, `key X removed` or `key changed from X to Y`, undefined standing for absent. */
export function describeChange<T>(key: string, from: T | undefined, to: T | undefined, text: (value: T) => string) {
  if (from === undefined) return `${key} ${text(to as T)} added`;
  if (to === undefined) return `${key} ${text(from)} removed`;
  return `${key} changed from ${text(from)} to ${text(to)}`;
}

export const showTypes = (types: Set<string> | undefined) => (types ? [...types].sort().join(" | ") : "any type");

/** Whether a set of types accepts values of type `t` (an integer is a number). */
export const covers = (types: Set<string>, t: string) => types.has(t) || (t === "integer" && types.has("number"));

/** True when `wider` accepts every type `narrower` accepts (undefined: any type). */
export function typesCover(wider: Set<string> | undefined, narrower: Set<string> | undefined): boolean {
  if (!wider) return true;
  if (!narrower) return false;
  return [...narrower].every((t) => covers(wider, t));
}
