// drift:propose turns evidence into Overlay actions that widen exactly what the evidence shows:
// each rule on a small spec, the merging of intents, what is left to a reviewer, and the applied
// overlay accepting the traffic that deviated.
import { describe, expect, it } from "vitest";
import { compileDriftApi, type OpenApiDoc } from "@cx-openapi/spec";
import { checkExchange, type DriftApi, driftEvidence, type EvidenceRecord } from "@cx-openapi/spec/drift";
import { applyOverlay } from "../../lib/drift-propose/overlay.js";
import { propose } from "../../lib/drift-propose/propose.js";

const person = {
  type: "object",
  required: ["id", "name", "status"],
  properties: {
    id: { type: "string" },
    name: { type: "string", maxLength: 10, "x-pii": "name" },
    nick: { type: "string", maxLength: 10 },
    status: { $ref: "#/components/schemas/Status" },
    since: { type: "string", format: "date-time" },
    code: { type: "string", pattern: "^[A-Z]{3}$" },
    tags: { type: "array", items: { type: "string" }, maxItems: 2 },
    score: { type: "integer", maximum: 10 },
    blood: { type: "string", enum: ["A", "B"], "x-pii": "health" },
    "it's": { type: ["string", "null"] },
  },
};
const spec = (): OpenApiDoc =>
  ({
    openapi: "3.1.0",
    info: { title: "People", version: "1.0.0" },
    paths: {
      "/people/{id}": {
        get: {
          operationId: "getPerson",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Person" } } },
            },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
      },
    },
    components: {
      schemas: { Person: person, Status: { type: "string", enum: ["active", "closed"] } },
      responses: { NotFound: { description: "none", content: { "application/json": { schema: { type: "object" } } } } },
    },
  }) as OpenApiDoc;

const good = {
  id: "p1",
  name: "Ada",
  status: "active",
  since: "2026-01-02T03:04:05Z",
  code: "ABC",
  tags: ["x"],
  score: 3,
};

/** The evidence of answers to GET /people/p1, as a drift reporter would record them. */
const compiled = new Map<string, DriftApi>();
/** The drift validators of a spec, compiled once per content (the tests check the same spec often). */
function driftApiOf(doc: OpenApiDoc): DriftApi {
  const key = JSON.stringify(doc);
  if (!compiled.has(key)) compiled.set(key, compileDriftApi(doc, "people"));
  return compiled.get(key)!;
}

function evidenceOf(doc: OpenApiDoc, answers: { status?: number; body: unknown }[]): EvidenceRecord[] {
  const api = driftApiOf(doc);
  let day = 1;
  const evidence = driftEvidence({ now: () => new Date(Date.UTC(2026, 10, day++)) });
  for (const { status = 200, body } of answers) {
    const exchange = {
      method: "GET",
      path: "/people/{id}",
      status,
      contentType: "application/json",
      body: JSON.stringify(body),
    };
    evidence.add(checkExchange(api, exchange)!);
  }
  return evidence.records();
}

async function proposeFor(answers: { status?: number; body: unknown }[]) {
  const doc = spec();
  const proposal = propose({ doc, api: "people", files: [{ file: "drift.jsonl", records: evidenceOf(doc, answers) }] });
  const patched = proposal.overlay ? ((await applyOverlay(doc as never, proposal.overlay)) as OpenApiDoc) : doc;
  return { proposal, patched, stillDeviating: evidenceOf(patched, answers).filter((r) => r.kind === "deviation") };
}

describe("drift:propose", () => {
  it("proposes nothing for traffic that conforms", async () => {
    const { proposal } = await proposeFor([{ body: good }, { body: { ...good, status: "closed" } }]);
    expect(proposal.overlay).toBeUndefined();
    expect(proposal.actions).toEqual([]);
  });

  it.each([
    [
      "a new enum value, appended to the enum",
      { status: "paused" },
      "$['components']['schemas']['Status']['enum']",
      "paused",
    ],
    [
      "a null in a string, added to its type",
      { id: null },
      "$['components']['schemas']['Person']['properties']['id']",
      { type: ["string", "null"] },
    ],
    [
      "a number for a string",
      { id: 7 },
      "$['components']['schemas']['Person']['properties']['id']",
      { type: ["string", "integer"] },
    ],
    [
      "a string past its maxLength, the bound moved to its length",
      { nick: "Adalovelace!" },
      "$['components']['schemas']['Person']['properties']['nick']",
      { maxLength: 12 },
    ],
    [
      "too many items",
      { tags: ["a", "b", "c"] },
      "$['components']['schemas']['Person']['properties']['tags']",
      { maxItems: 3 },
    ],
    [
      "a number past its maximum",
      { score: 12 },
      "$['components']['schemas']['Person']['properties']['score']",
      { maximum: 12 },
    ],
    [
      "a type appended to a type list",
      { "it's": 5 },
      "$['components']['schemas']['Person']['properties']['it\\'s']['type']",
      "integer",
    ],
  ])("widens %s, and the patched spec accepts it", async (_name, change, target, update) => {
    const { proposal, stillDeviating } = await proposeFor([{ body: { ...good, ...change } }]);
    expect(proposal.actions.map((a) => [a.target, a.update])).toEqual([[target, update]]);
    expect(stillDeviating).toEqual([]);
  });

  it("drops a format or a pattern the vendor does not follow, naming the shapes seen", async () => {
    const { proposal, stillDeviating } = await proposeFor([{ body: { ...good, since: "2026-01-02", code: "abc" } }]);
    expect(proposal.actions.map((a) => [a.target, a.remove])).toEqual([
      ["$['components']['schemas']['Person']['properties']['code']['pattern']", true],
      ["$['components']['schemas']['Person']['properties']['since']['format']", true],
    ]);
    expect(proposal.actions[1]!.description).toContain("seen: date");
    expect(stillDeviating).toEqual([]);
  });

  it("makes a missing required field optional, removing it from the list and nothing else", async () => {
    const { id: _, ...withoutId } = good;
    const { proposal, patched, stillDeviating } = await proposeFor([{ body: withoutId }]);
    expect(proposal.actions.map((a) => a.target)).toEqual([
      "$['components']['schemas']['Person']['required'][?(@ == 'id')]",
    ]);
    expect((patched.components!.schemas as Record<string, { required: string[] }>).Person!.required).toEqual([
      "name",
      "status",
    ]);
    expect(stillDeviating).toEqual([]);
  });

  it("declares an undocumented status as inferred, with the JSON type of its body", async () => {
    const { proposal, stillDeviating } = await proposeFor([{ status: 429, body: { error: "slow down" } }]);
    expect(proposal.actions).toEqual([
      expect.objectContaining({
        target: "$['paths']['/people/{id}']['get']['responses']",
        update: {
          "429": expect.objectContaining({
            "x-inferred": true,
            content: { "application/json": { schema: { type: "object" } } },
          }),
        },
      }),
    ]);
    expect(stillDeviating).toEqual([]);
  });

  it("merges widenings of one schema: two new types make one list, two lengths the longer", async () => {
    const answers = [
      { body: { ...good, id: null } },
      { body: { ...good, id: 3 } },
      { body: { ...good, nick: "Ada Lovelace" } },
      { body: { ...good, nick: "Ada Lovelace Byron" } },
    ];
    const { proposal, stillDeviating } = await proposeFor(answers);
    expect(proposal.actions.map((a) => a.update)).toEqual([{ type: ["string", "integer", "null"] }, { maxLength: 18 }]);
    expect(proposal.actions[0]!["x-evidence"]).toHaveLength(2);
    expect(stillDeviating).toEqual([]);
  });

  it("asks a reviewer about an x-pii value past its bound: more personal data than documented", async () => {
    const { proposal } = await proposeFor([{ body: { ...good, name: "Ada King, Countess of Lovelace" } }]);
    expect(proposal.actions).toEqual([]);
    expect(proposal.review).toEqual([
      expect.objectContaining({
        rule: "maxLength",
        pointer: "/name",
        question: expect.stringContaining("more personal data"),
      }),
    ]);
    expect(JSON.stringify(proposal)).not.toContain("Countess");
  });

  it("declares a body where the response declared none, of the type seen", async () => {
    const doc = spec();
    (doc.components!.responses as Record<string, Record<string, unknown>>).NotFound = { description: "none" };
    const records = evidenceOf(doc, [{ status: 404, body: { error: "gone" } }]);
    const proposal = propose({ doc, api: "people", files: [{ file: "a.jsonl", records }] });
    expect(proposal.actions.map((a) => [a.target, a.update])).toEqual([
      ["$['components']['responses']['NotFound']", { content: { "application/json": { schema: { type: "object" } } } }],
    ]);
    const patched = (await applyOverlay(doc as never, proposal.overlay!)) as OpenApiDoc;
    expect(
      evidenceOf(patched, [{ status: 404, body: { error: "gone" } }]).filter((r) => r.kind === "deviation"),
    ).toEqual([]);
  });

  it("asks a reviewer about a value outside an x-pii enum, quoting no value", async () => {
    const { proposal } = await proposeFor([{ body: { ...good, blood: "AB-rare" } }]);
    expect(proposal.actions).toEqual([]);
    expect(proposal.review).toEqual([
      expect.objectContaining({ rule: "enum", pointer: "/blood", question: expect.stringContaining("x-pii") }),
    ]);
    expect(JSON.stringify(proposal)).not.toContain("AB-rare");
  });

  it("cites each deviation behind an action: counts, dates, the operation and its file", async () => {
    const { proposal } = await proposeFor([{ body: { ...good, status: "paused" } }, { body: good }]);
    expect(proposal.actions[0]!["x-evidence"]).toEqual([
      expect.objectContaining({
        operationId: "getPerson",
        status: 200,
        rule: "enum",
        count: 1,
        checked: 2,
        files: ["drift.jsonl"],
        firstSeen: expect.stringMatching(/^2026-11/),
      }),
    ]);
    expect(proposal.overlay).toMatchObject({ overlay: "1.0.0", "x-evidence-files": ["drift.jsonl"] });
  });

  it("leaves deviations of requests alone and skips what the spec already allows", () => {
    const doc = spec();
    const records = evidenceOf(doc, [{ body: { ...good, status: "paused" } }]).map((r) =>
      r.kind === "deviation" ? { ...r, side: "request" as const } : r,
    );
    const allowedAlready = evidenceOf(doc, [{ body: { ...good, status: "active" } }]);
    const asDeviation = {
      ...(records[1] as EvidenceRecord),
      side: "response",
      observed: { type: "string", value: "active" },
    } as EvidenceRecord;
    const proposal = propose({
      doc,
      api: "people",
      files: [{ file: "a.jsonl", records: [...records, ...allowedAlready, asDeviation] }],
    });
    expect(proposal.actions).toEqual([]);
    expect(proposal.requestDeviations).toBe(1);
    expect(proposal.allowed).toEqual([expect.stringContaining('"active" is in the enum')]);
  });

  it("says which requests share a widened schema, since what we send stays strict", () => {
    const doc = spec();
    (doc.paths!["/people/{id}"] as Record<string, unknown>).put = {
      operationId: "setStatus",
      requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Status" } } } },
      responses: { "204": { description: "set" } },
    };
    const records = evidenceOf(doc, [{ body: { ...good, status: "paused" } }]);
    const [action] = propose({ doc, api: "people", files: [{ file: "a.jsonl", records }] }).actions;
    expect(action).toMatchObject({ "x-shared-with-requests": ["setStatus"] });
    expect(action!.description).toContain("Requests share this schema (setStatus): split it before applying");
  });

  it("refuses to apply an action that selects nothing", async () => {
    await expect(
      applyOverlay(spec() as never, {
        actions: [{ target: "$['components']['schemas']['Nobody']", description: "x", update: {}, "x-evidence": [] }],
      }),
    ).rejects.toThrow("an action selects nothing in the spec: $['components']['schemas']['Nobody']");
  });
});
