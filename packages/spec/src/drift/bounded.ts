// The first violations of a value, at a bounded cost. Ajv with `allErrors` does work quadratic in
// the number of errors (each `$ref` call concatenates its errors onto the caller's), so 40,000
// invalid array items took seconds. Here validity comes from a first-error pass over the whole
// value (linear), and the list of violations from an all-errors pass over a pruned copy: at most
// `budget` nodes, taken in document order. An error whose subtree was pruned is dropped, since it
// may not hold for the whole value; the first-error pass always holds, so at least one is listed.
// Used by the spec's validator (errorsOf) and by drift checking, on Ajv's compiled or standalone
// validators alike.
import type { ValidatorError } from "./types.js";

/** Nodes kept in the copy the all-errors pass runs on. */
export const pruneBudget = 500;

/** A validator whose errors are of type `E` (Ajv's own ErrorObject, or the drift checker's shape). */
export type Validator<E> = ((value: unknown) => boolean) & { errors?: readonly E[] | null };

export function boundedErrors<E extends ValidatorError & { schemaPath?: string }>(
  firstError: Validator<E>,
  allErrors: Validator<E>,
  value: unknown,
  max: number,
): E[] {
  if (firstError(value)) return [];
  const { copy, pruned } = prune(value, pruneBudget);
  const found = allErrors(copy) ? [] : (allErrors.errors ?? []);
  const kept = pruned.length ? found.filter((e) => !pruned.some((p) => within(p, e.instancePath))) : found;
  const seen = new Set<string>();
  const errors: E[] = [];
  for (const error of [...(firstError.errors ?? []), ...kept]) {
    const key = `${error.instancePath}\0${error.schemaPath ?? error.keyword}\0${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(error);
    if (errors.length >= max) break;
  }
  return errors;
}

/** Whether `path` is `root` or lies under it (JSON pointers). */
function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** A copy of at most `budget` nodes, and the pointers of the arrays and objects that lost children. */
export function prune(value: unknown, budget: number): { copy: unknown; pruned: string[] } {
  const pruned: string[] = [];
  let left = budget;
  const visit = (node: unknown, at: string): unknown => {
    left--;
    if (typeof node !== "object" || node === null) return node;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (let i = 0; i < node.length; i++) {
        if (left <= 0) {
          pruned.push(at);
          break;
        }
        out.push(visit(node[i], `${at}/${i}`));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key in node) {
      if (left <= 0) {
        pruned.push(at);
        break;
      }
      const child = visit(
        (node as Record<string, unknown>)[key],
        `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`,
      );
      // defineProperty: a `__proto__` key stays a key.
      Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return { copy: visit(value, ""), pruned };
}
