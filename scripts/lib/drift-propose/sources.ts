// Which file of the split source an action's target lives in, so a reviewer knows what to edit:
// a component is one file (`components/schemas/Customer.yaml`), a path item another (the root
// document's `$ref` for it). The overlay targets the bundle; the source is what gets changed.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { escapePointer } from "@cx-openapi/spec";

/** A function naming the source file (and the pointer in it) of a bundle path, when there is one. */
export function sourceFinder(rootFile: string, repoRoot: string): (path: (string | number)[]) => string | undefined {
  const folder = dirname(rootFile);
  const root = parse(readFileSync(rootFile, "utf8")) as { paths?: Record<string, { $ref?: string }> };
  const fileOf = (path: (string | number)[]): [string, (string | number)[]] | undefined => {
    const [first, second, third, ...rest] = path;
    if (first === "components" && typeof second === "string" && typeof third === "string")
      return [join(folder, "components", second, `${third}.yaml`), rest];
    const ref = first === "paths" && typeof second === "string" ? root.paths?.[second]?.$ref : undefined;
    return ref ? [join(folder, ref), path.slice(2)] : undefined;
  };
  return (path) => {
    const found = fileOf(path);
    if (!found || !existsSync(found[0])) return undefined;
    const pointer = found[1].map((key) => escapePointer(String(key))).join("/");
    return `${relative(repoRoot, found[0])}${pointer ? `#/${pointer}` : ""}`;
  };
}
