// Property-based tests, in process: requests generated from each operation's own request schemas.
// Valid ones never get a 5xx and never an answer that breaks the spec (the sandbox checks every
// answer with its validator here); ones with one constraint broken get a 4xx naming the field.
// SANDBOX_PROPERTY_RUNS (default 50 per operation and kind, with a new seed each run; CI's
// `pnpm test:matrix` runs 200) runs more; on a failure fast-check prints the seed and path, and
// SANDBOX_PROPERTY_SEED=<seed> replays it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listOperations } from "@cx-openapi/spec";
import { brokenRequestOf, requestOf, toRequest } from "../arbitrary.js";
import { inProcess } from "../helpers.js";

const numRuns = Number(process.env.SANDBOX_PROPERTY_RUNS ?? 50);
const seed = process.env.SANDBOX_PROPERTY_SEED === undefined ? {} : { seed: Number(process.env.SANDBOX_PROPERTY_SEED) };
const messagesOf = (body: unknown): string[] => {
  const message = (body as { message?: unknown } | undefined)?.message;
  return Array.isArray(message) ? message.map(String) : [String(message)];
};

for (const api of ["relay-cdm", "hiirelevate"] as const) {
  const sandbox = inProcess({ empty: true });
  const doc = sandbox.engines[api].spec;
  describe(`${api} properties (${numRuns} cases per operation and kind, in process)`, () => {
    for (const operation of listOperations(doc)) {
      it(`${operation.operationId}: valid requests never get a 5xx or an answer that breaks the spec`, () => {
        fc.assert(
          fc.property(requestOf(doc, operation), (generated) => {
            // Each case starts empty, so a name one case created cannot make another a duplicate.
            sandbox.reset();
            const response = sandbox.handle(api, toRequest(api, operation, generated));
            expect(response.headers["content-type"], JSON.stringify(response.body)).not.toBe(
              "application/problem+json",
            );
            expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
            // A 400 would mean the generator made an invalid request, or the sandbox refused a valid one.
            expect(response.status, JSON.stringify(response.body)).not.toBe(400);
          }),
          { numRuns, ...seed },
        );
      });

      const { arbitrary, cases } = brokenRequestOf(doc, operation.operationId);
      if (!arbitrary) continue;
      it(`${operation.operationId}: one broken constraint gets a 4xx naming the field (${cases.length} constraints)`, () => {
        fc.assert(
          fc.property(arbitrary, (generated) => {
            const response = sandbox.handle(api, toRequest(api, operation, generated));
            const { broken } = generated;
            const why = `${broken.title}: ${JSON.stringify(response.body)}`;
            // An empty last path segment leaves a path no route matches: a 404, not a named field.
            if (response.status === 404 && broken.location === "path" && generated.pathParams[broken.at[1]!] === "")
              return;
            expect(response.status, why).toBe(400);
            expect(
              messagesOf(response.body).some((m) => m.includes(broken.field)),
              why,
            ).toBe(true);
          }),
          { numRuns, ...seed },
        );
      });
    }
  });
}
