// Intents as OpenAPI Overlay 1.0 actions. Each widens one keyword: a value appended to an `enum` or
// a `type` list (an update on an array appends), a `type` string turned into a list, a bound moved,
// a `format` or `pattern` or a `required` member removed, a status added to `responses`. Every
// action carries `x-evidence`, the deviations behind it, and `x-source`, the file to edit.
import { intentKey, type Intent } from "./intent.js";
import { jsonPath, memberFilter } from "./json-path.js";
import type { EvidenceEntry } from "./evidence.js";
import type { Located } from "./locate.js";
import { placeName } from "./rules/input.js";
import { typesOf } from "./rules/type.js";

export interface OverlayAction {
  target: string;
  description: string;
  update?: unknown;
  remove?: true;
  "x-evidence": EvidenceEntry[];
  "x-source"?: string;
  /** The operations whose requests share the target schema: split it before applying. */
  "x-shared-with-requests"?: string[];
}

/** What an action is told of the document beyond its target: where it lives, and who else uses it. */
export interface ActionContext {
  sourceOf(path: (string | number)[]): string | undefined;
  /** Per component schema, the operations whose requests reach it (request-uses.ts). */
  requestUses: ReadonlyMap<string, string[]>;
}

/** Makes the actions of a group: the target, the description with what was seen, the evidence, the source. */
function actionMaker(group: IntentGroup, context: ActionContext): MakeAction {
  const seen = seenLine(group.evidence);
  return (path, body, suffix = "") => {
    const source = context.sourceOf(path);
    const shared =
      path[0] === "components" && path[1] === "schemas" ? context.requestUses.get(String(path[2])) : undefined;
    const warning = shared ? `. Requests share this schema (${shared.join(", ")}): split it before applying` : "";
    return {
      target: jsonPath(path) + suffix,
      ...body,
      description: `${body.description}: ${seen}${warning}`,
      "x-evidence": group.evidence,
      ...(source ? { "x-source": source } : {}),
      ...(shared ? { "x-shared-with-requests": shared } : {}),
    };
  };
}

/** Intents that merge (see intentKey), with every deviation behind them. */
export interface IntentGroup {
  intents: Intent[];
  evidence: EvidenceEntry[];
}

/** Groups intents by place and keyword, keeping each deviation once per group. */
export function groupIntents(found: { intents: Intent[]; evidence: EvidenceEntry }[]): IntentGroup[] {
  const groups = new Map<string, IntentGroup>();
  for (const { intents, evidence } of found)
    for (const intent of intents) {
      const key = intentKey(intent);
      const group = groups.get(key) ?? { intents: [], evidence: [] };
      group.intents.push(intent);
      if (!group.evidence.includes(evidence)) group.evidence.push(evidence);
      groups.set(key, group);
    }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

/** The actions of one group: one, or one per type appended to an existing `type` list. */
export function actionsOf(group: IntentGroup, context: ActionContext): OverlayAction[] {
  const first = group.intents[0]!;
  const action = actionMaker(group, context);
  switch (first.kind) {
    case "add-enum":
      return [
        action([...first.target.path, "enum"], {
          description: `Add ${JSON.stringify(first.value)} to the enum of ${placeName(first.target)}`,
          update: first.value,
        }),
      ];
    case "add-type":
      return typeActions(first.target, group, action);
    case "move-bound": {
      const value = furthest(
        first.keyword,
        group.intents.map((i) => (i as typeof first).value),
      );
      const was = first.target.schema[first.keyword];
      return [
        action(first.target.path, {
          description: `Move the ${first.keyword} of ${placeName(first.target)} from ${was} to ${value}`,
          update: { [first.keyword]: value },
        }),
      ];
    }
    case "drop-keyword": {
      const shapes = [...new Set(group.evidence.map((e) => e.observed.format ?? e.observed.type).filter(Boolean))];
      const was = JSON.stringify(first.target.schema[first.keyword]);
      return [
        action([...first.target.path, first.keyword], {
          description: `Drop the ${first.keyword} ${was} of ${placeName(first.target)} (seen: ${shapes.join(", ") || "other shapes"})`,
          remove: true,
        }),
      ];
    }
    case "drop-required":
      return [
        action(
          [...first.target.path, "required"],
          { description: `Make ${first.name} of ${placeName(first.target)} optional`, remove: true },
          memberFilter(first.name),
        ),
      ];
    case "add-status":
      return [
        action(first.responses, {
          description: `Declare the status ${first.status} of ${group.evidence[0]!.operationId}`,
          update: { [String(first.status)]: inferredResponse(first.body) },
        }),
      ];
    case "add-content":
      return [
        action(first.response, {
          description: `Declare the body of ${group.evidence[0]!.operationId} ${group.evidence[0]!.status}`,
          update: contentOf(first.body) ?? {},
        }),
      ];
  }
}

type MakeAction = (
  path: (string | number)[],
  body: Omit<OverlayAction, "x-evidence" | "target">,
  suffix?: string,
) => OverlayAction;

/** New types for one schema: its `type` string becomes a list, or each new type is appended to its list. */
function typeActions(target: Located, group: IntentGroup, action: MakeAction): OverlayAction[] {
  const added = [...new Set(group.intents.map((i) => (i as Extract<Intent, { kind: "add-type" }>).type))].sort();
  const current = target.schema.type;
  const description = `Allow ${added.join(" and ")} in ${placeName(target)} (${JSON.stringify(current)})`;
  if (!Array.isArray(current))
    return [action(target.path, { description, update: { type: [...typesOf(current), ...added] } })];
  return added.map((type) =>
    action([...target.path, "type"], {
      description: `Allow ${type} in ${placeName(target)} (${JSON.stringify(current)})`,
      update: type,
    }),
  );
}

function furthest(keyword: string, values: number[]): number {
  return keyword.startsWith("min") ? Math.min(...values) : Math.max(...values);
}

/** The `content` of a body seen in traffic: of its JSON type (a non-JSON one: any media type). */
function contentOf(body: string | undefined): { content: Record<string, unknown> } | undefined {
  if (body === "string") return { content: { "*/*": {} } };
  if (body === undefined || body === "missing") return undefined;
  return { content: { "application/json": { schema: { type: body } } } };
}

/** A response for a status seen only in traffic: marked inferred, its body's JSON type as seen. */
function inferredResponse(body: string | undefined): Record<string, unknown> {
  return {
    description:
      "Seen in the vendor's answers, not in its documentation. Inferred from drift evidence (x-evidence); describe the body and say when it happens.",
    "x-inferred": true,
    ...contentOf(body),
  };
}

/** `seen 12 times in getCustomer 200 (3 of 40 checked), 2026-11-02 to 2026-12-01`. */
function seenLine(evidence: EvidenceEntry[]): string {
  const count = evidence.reduce((sum, e) => sum + e.count, 0);
  const where = [...new Set(evidence.map((e) => `${e.operationId} ${e.status}`))].join(", ");
  const first = evidence
    .map((e) => e.firstSeen)
    .sort()[0]!
    .slice(0, 10);
  const last = evidence
    .map((e) => e.lastSeen)
    .sort()
    .at(-1)!
    .slice(0, 10);
  return `seen ${count} time${count === 1 ? "" : "s"} in ${where}, ${first === last ? `on ${first}` : `${first} to ${last}`}`;
}
