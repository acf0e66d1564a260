// Properties of drift:propose on the real specs, from each response example of the spec: any
// single widening the vendor makes (a new enum value, a null or a number in a string, a string past
// its maxLength, a required field left out, an undeclared status) is proposed, the patched spec
// accepts the answer, and no action touches any other place; an answer that conforms never leads
// to an action. CX_PROPERTY_RUNS sets the runs per API (default 12).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  collectPii,
  compileDriftApi,
  createValidator,
  listOperations,
  loadSpec,
  type OpenApiDoc,
} from "@cx-openapi/spec";
import { checkExchange, driftEvidence, type DriftApi } from "@cx-openapi/spec/drift";
import { loadApis } from "../../lib/apis.js";
import { applyOverlay } from "../../lib/drift-propose/overlay.js";
import { propose } from "../../lib/drift-propose/propose.js";
import { exampleAnswers, mutationsOf, undeclaredStatus, type Answer, type Mutation } from "./drift-mutations.js";

const runs = Number(process.env.CX_PROPERTY_RUNS ?? 12);

function evidenceOf(api: DriftApi, answers: Answer[]) {
  const evidence = driftEvidence({ now: () => new Date("2026-11-01T00:00:00Z") });
  for (const answer of answers) {
    const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
    evidence.add(
      checkExchange(api, {
        method: answer.method,
        path: answer.path,
        status: answer.status,
        contentType: "application/json",
        body,
      })!,
    );
  }
  return evidence.records();
}

describe.each(loadApis())("drift:propose on $name", ({ name, bundleJson }) => {
  const doc = loadSpec(bundleJson);
  const drift = compileDriftApi(doc, name);
  const answers = exampleAnswers(doc);
  const pii = new Set(collectPii(doc).properties);
  const mutations = answers.flatMap((answer) => [...mutationsOf(doc, answer, pii), undeclaredStatus(doc, answer)]);

  it("proposes nothing for the spec's own examples", () => {
    expect(answers.length).toBeGreaterThan(5);
    const records = evidenceOf(drift, answers);
    expect(records.filter((r) => r.kind === "deviation")).toEqual([]);
    expect(propose({ doc, api: name, files: [{ file: "examples.jsonl", records }] }).actions).toEqual([]);
  });

  it("proposes any single widening the vendor makes, and only it; the patched spec accepts the answer", async () => {
    expect(mutations.filter((m) => m.kind !== "status").length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(
        oneOfEachKind(mutations),
        fc.subarray(answers, { maxLength: 3 }),
        async (mutation, conforming) => {
          const records = evidenceOf(drift, [mutation.answer, ...conforming]);
          const proposal = propose({ doc, api: name, files: [{ file: "drift.jsonl", records }] });
          if (mutation.expectReview) {
            expect(proposal.actions).toEqual([]);
            expect(proposal.review.map((r) => r.pointer)).toContain(mutation.pointer);
            return;
          }
          expect(proposal.actions.length, mutation.label).toBeGreaterThan(0);
          for (const action of proposal.actions)
            for (const entry of action["x-evidence"])
              expect([entry.pointer, entry.status]).toEqual([mutation.pointer, mutation.answer.status]);
          const patched = (await applyOverlay(doc as never, proposal.overlay!)) as OpenApiDoc;
          expect(accepts(patched, mutation), mutation.label).toEqual([]);
          for (const value of mutation.personal) expect(JSON.stringify(proposal)).not.toContain(value);
        },
      ),
      { numRuns: runs },
    );
  });
});

/** A kind of widening first, then one of that kind: rare kinds are tried as often as common ones. */
function oneOfEachKind(mutations: Mutation[]): fc.Arbitrary<Mutation> {
  const kinds = [...new Set(mutations.map((m) => m.kind))];
  return fc.constantFrom(...kinds).chain((kind) => fc.constantFrom(...mutations.filter((m) => m.kind === kind)));
}

/** The errors the patched spec finds in the deviating answer: none when it was widened enough. */
function accepts(patched: OpenApiDoc, { answer }: Mutation): string[] {
  const operationId = listOperations(patched).find(
    (op) => op.method.toUpperCase() === answer.method && op.path === answer.path,
  )!.operationId;
  const result = createValidator(patched).validateResponse({
    operationId,
    status: answer.status,
    contentType: "application/json",
    body: answer.body,
  });
  return result.errors;
}
