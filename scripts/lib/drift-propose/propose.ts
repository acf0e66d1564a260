// `pnpm drift:propose`: from drift evidence to an OpenAPI Overlay that widens the spec exactly as
// far as the evidence requires, and never narrows it. Each deviation of a response goes to the
// widening rule of its kind (rules/), which checks it against today's spec: a widening already made
// is skipped, one no rule can make exactly becomes a question for a reviewer (`x-review`).
// Deviations of requests are what we send: the spec is strict there on purpose, so none is proposed.
import type { OpenApiDoc } from "@cx-openapi/spec";
import { actionsOf, groupIntents, type OverlayAction } from "./actions.js";
import { deviationsOf, evidenceEntry, type Deviation, type EvidenceEntry, type EvidenceFile } from "./evidence.js";
import type { Intent } from "./intent.js";
import type { OverlayDocument, ReviewItem } from "./overlay.js";
import { requestUses } from "./request-uses.js";
import { operationPlace, responseBody } from "./response.js";
import { wideningRule } from "./rules/index.js";

export interface ProposeOptions {
  doc: OpenApiDoc;
  api: string;
  files: EvidenceFile[];
  /** Names the source file of a bundle path (sources.ts), for `x-source`. */
  sourceOf?: (path: (string | number)[]) => string | undefined;
  /** What the overlay's `extends` names: the bundle it applies to. */
  extendsUrl?: string;
}

export interface Proposal {
  /** Undefined when there is nothing to widen (an Overlay needs at least one action). */
  overlay: OverlayDocument | undefined;
  actions: OverlayAction[];
  review: ReviewItem[];
  /** Deviations today's spec already allows (a widening made since), one line each. */
  allowed: string[];
  /** Request deviations seen, left alone. */
  requestDeviations: number;
}

export function propose(options: ProposeOptions): Proposal {
  const found: { intents: Intent[]; evidence: EvidenceEntry }[] = [];
  const review: ReviewItem[] = [];
  const allowed: string[] = [];
  let requestDeviations = 0;
  for (const deviation of deviationsOf(options.files, options.api)) {
    if (deviation.record.side === "request") {
      requestDeviations += 1;
      continue;
    }
    const outcome = judge(options.doc, deviation);
    if ("intents" in outcome) found.push({ intents: outcome.intents, evidence: evidenceEntry(deviation) });
    else if ("allowed" in outcome) allowed.push(`${deviation.record.operationId}: ${outcome.allowed}`);
    else review.push(reviewItem(deviation, outcome.review));
  }
  const context = { sourceOf: options.sourceOf ?? (() => undefined), requestUses: requestUses(options.doc) };
  const actions = groupIntents(found).flatMap((group) => actionsOf(group, context));
  const overlay = actions.length === 0 ? undefined : overlayDocument(options, actions, review);
  return { overlay, actions, review, allowed, requestDeviations };
}

/** What the widening rule of a deviation's kind makes of it against the spec. */
function judge(doc: OpenApiDoc, { record }: Deviation) {
  const place = operationPlace(doc, record.method, record.path);
  if (!place) return { review: `the spec has no operation ${record.method} ${record.path}` };
  const rule = wideningRule(record.rule);
  if (!rule) return { review: `no widening is made for a deviation of ${record.rule}: decide by hand` };
  return rule({ doc, record, place, body: responseBody(doc, place, record.status) });
}

function reviewItem({ record }: Deviation, question: string): ReviewItem {
  const { operationId, status, rule, pointer, count } = record;
  return { operationId, status, rule, pointer, count, question };
}

function overlayDocument(options: ProposeOptions, actions: OverlayAction[], review: ReviewItem[]): OverlayDocument {
  const { title = options.api, version = "" } = (options.doc.info ?? {}) as { title?: string; version?: string };
  const lastSeen = actions
    .flatMap((a) => a["x-evidence"].map((e) => e.lastSeen))
    .sort()
    .at(-1)!;
  return {
    overlay: "1.0.0",
    info: {
      title: `${title} ${version}: widened to the traffic seen`,
      version: `${version}+drift.${lastSeen.slice(0, 10).replace(/-/g, "")}`,
      description:
        "Proposed by `pnpm drift:propose` from drift evidence. Review each action before applying it to the source spec (docs/keep-the-spec-true.md).",
    },
    ...(options.extendsUrl ? { extends: options.extendsUrl } : {}),
    actions,
    "x-evidence-files": options.files.map((f) => f.file),
    ...(review.length > 0 ? { "x-review": review } : {}),
  };
}
