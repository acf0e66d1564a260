// Our verdicts beside `redocly diff`'s (Redocly CLI's experimental semver rating of changes) on the
// same before/after pairs. Redocly runs one process per pair (about a second each), so every pair
// goes into one document instead: pair i's paths under `/<name>`, its webhooks as `<name>~<hook>`,
// its components as `P<i>_<Name>`, its root servers and security moved onto its operations. One
// `redocly diff` then rates all pairs, and each change is traced back to its pair by its location.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { httpMethods, isObject } from "@cx-openapi/spec";
import { bin, runSync } from "../process.js";
import { compareDocuments } from "./compare.js";
import type { Severity } from "./rules.js";

type Obj = Record<string, unknown>;

export interface Pair {
  name: string;
  before: Obj;
  after: Obj;
}

/** Our worst severity, and Redocly's worst impact ("major" is its breaking). */
export interface Verdicts {
  name: string;
  ours: Severity | "none";
  redocly: "major" | "minor" | "patch" | "none";
}

const pointerToken = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");

/** Pair `index`'s document, renamed so that it cannot collide with the other pairs'. */
function prefixed(doc: Obj, index: number, name: string): Obj {
  const prefix = `P${index}_`;
  const pointer = (value: unknown) =>
    typeof value === "string" ? value.replace(/^#\/components\/([^/]+)\/(.+)$/, `#/components/$1/${prefix}$2`) : value;
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (!isObject(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === "$ref"
          ? pointer(value)
          : key === "mapping" && isObject(value) // a discriminator's mapping holds pointers too
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pointer(v)]))
            : rename(value),
      ]),
    );
  };
  const renamed = rename(doc) as Obj;
  const security = renamed.security;
  const servers = renamed.servers;
  const operations = (items: Obj | undefined, key: (k: string) => string) =>
    Object.fromEntries(
      Object.entries(items ?? {}).map(([k, item]) => {
        const out: Obj = { ...(item as Obj) };
        if (servers && !out.servers) out.servers = servers;
        for (const method of httpMethods) {
          const op = out[method];
          if (!isObject(op)) continue;
          const moved: Obj = { ...op };
          if (typeof op.operationId === "string") moved.operationId = `${prefix}${op.operationId}`;
          const requirements = (op.security ?? security) as Obj[] | undefined;
          if (requirements)
            moved.security = requirements.map((r) =>
              Object.fromEntries(Object.entries(r).map(([scheme, scopes]) => [`${prefix}${scheme}`, scopes])),
            );
          out[method] = moved;
        }
        return [key(k), out];
      }),
    );
  return {
    paths: operations(renamed.paths as Obj | undefined, (path) => `/${name}${path}`),
    webhooks: operations(renamed.webhooks as Obj | undefined, (hook) => `${name}~${hook}`),
    components: Object.fromEntries(
      Object.entries((renamed.components as Obj | undefined) ?? {}).map(([kind, entries]) => [
        kind,
        Object.fromEntries(Object.entries(entries as Obj).map(([k, v]) => [`${prefix}${k}`, v])),
      ]),
    ),
  };
}

function merged(pairs: Pair[], side: "before" | "after"): Obj {
  const doc: Obj = { openapi: "3.1.0", info: { title: "Fixture pairs", version: "1.0.0" }, paths: {}, webhooks: {} };
  const components: Record<string, Obj> = {};
  pairs.forEach((pair, i) => {
    const part = prefixed(pair[side], i, pair.name);
    Object.assign(doc.paths as Obj, part.paths);
    Object.assign(doc.webhooks as Obj, part.webhooks);
    for (const [kind, entries] of Object.entries(part.components as Obj)) {
      components[kind] = { ...components[kind], ...(entries as Obj) };
    }
  });
  doc.components = components;
  return doc;
}

interface RedoclyChange {
  path?: string;
  impact?: "major" | "minor" | "patch";
  base?: { pointer?: string };
  revision?: { pointer?: string };
}

/** Runs `redocly diff` once over all pairs and rates each pair both ways. */
export function compareWithRedocly(pairs: Pair[]): Verdicts[] {
  const scratch = mkdtempSync(join(tmpdir(), "cx-openapi-redocly-diff-"));
  try {
    const [base, revision, report] = ["base.json", "revision.json", "report.json"].map((f) => join(scratch, f)) as [
      string,
      string,
      string,
    ];
    writeFileSync(base, JSON.stringify(merged(pairs, "before")));
    writeFileSync(revision, JSON.stringify(merged(pairs, "after")));
    const result = runSync(
      bin("redocly"),
      ["diff", base, revision, "--format", "json", "--fail-on", "none", "-o", report, "--lint-config", "off"],
      { cwd: scratch },
    );
    if (result.code !== 0) throw new Error(`redocly diff failed:\n${result.output}`);
    const changes = (JSON.parse(readFileSync(report, "utf8")) as { changes: RedoclyChange[] }).changes;
    const rank = { none: 0, patch: 1, minor: 2, major: 3 } as const;
    const severityRank = { none: 0, info: 1, warning: 2, breaking: 3 } as const;
    return pairs.map((pair, i) => {
      const marks = [`#/paths/~1${pointerToken(pair.name)}`, `#/webhooks/${pointerToken(`${pair.name}~`)}`, `/P${i}_`];
      const mine = changes.filter((c) =>
        [c.path, c.base?.pointer, c.revision?.pointer].some(
          (p) => typeof p === "string" && marks.some((m) => (m.startsWith("/") ? p.includes(m) : p.startsWith(m))),
        ),
      );
      const redocly = mine.reduce<Verdicts["redocly"]>(
        (worst, c) => (c.impact && rank[c.impact] > rank[worst] ? c.impact : worst),
        "none",
      );
      const ours = compareDocuments(pair.before, pair.after).reduce<Verdicts["ours"]>(
        (worst, c) => (severityRank[c.severity] > severityRank[worst] ? c.severity : worst),
        "none",
      );
      return { name: pair.name, ours, redocly };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Whether the two verdicts differ: breaking is Redocly's major, and only that. */
export const disagree = (v: Verdicts) => (v.ours === "breaking") !== (v.redocly === "major");
