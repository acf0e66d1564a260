// What a user of the Relay client sees in an editor: the names hovers show, and tsc's messages
// for common mistakes (snapshotted), checked with the repository's own tsconfig.
import { describe, expect, it } from "vitest";
import { check, testDir } from "../../runtime/test/tsc.js";

const prelude = `import { createRelayCdmClient, isApiError, ApiError } from "../src/index.js";
const relay = createRelayCdmClient({ apiKey: "key", environment: "staging" });
const path = { params: { path: { client_id: "relay_developer", ccid: "BAK-1" } } };
`;

const checked = check(testDir(import.meta.url), {
  hover: `${prelude}
export async function f(e: unknown) {
  const result = await relay.GET("/cdm/client/{client_id}/customer/{ccid}", path);
  if (result.status === 200) { const data = result.data; void data; }
  if (e instanceof ApiError) { const caught = e; void caught; }
  if (isApiError(e, "GET", "/cdm/client/{client_id}/customer/{ccid}", 404)) { const guarded = e; void guarded; }
  void result;
}`,
  missingField: `${prelude}
export const r = relay.POST("/cdm/client/{client_id}/onboard", { params: { path: { client_id: "c" } }, body: { product_group_id: "default" } });`,
  pathTypo: `${prelude}
export const r = relay.GET("/cdm/client/{client_id}/customers/{ccid}", path);`,
  bothOptions: `import { createRelayCdmClient } from "../src/index.js";
export const r = createRelayCdmClient({ apiKey: "key", environment: "staging", baseUrl: "http://127.0.0.1:9" });`,
  neitherOption: `import { createRelayCdmClient } from "../src/index.js";
export const r = createRelayCdmClient({ apiKey: "key" });`,
  anyBody: `import { ApiError } from "../src/index.js";
export function f(e: unknown) { if (e instanceof ApiError) return e.body.anything.deep; return undefined; }`,
});

describe("what the editor shows", () => {
  it("hovers name the result, the schema and the narrowed error", () => {
    const { hover } = checked;
    expect(hover!.messages).toEqual([]);
    expect(hover!.typeOf("result")).toMatchInlineSnapshot(
      `"CallResult<paths, "get", "/cdm/client/{client_id}/customer/{ccid}">"`,
    );
    expect(hover!.typeOf("data")).toMatchInlineSnapshot(`"Customer"`);
    expect(hover!.typeOf("caught")).toMatchInlineSnapshot(`"ApiError<unknown, unknown>"`);
    expect(hover!.typeOf("guarded")).toMatchInlineSnapshot(
      `"ApiErrorOf<paths, "get", "/cdm/client/{client_id}/customer/{ccid}", 404>"`,
    );
  });

  it("tsc's messages for common mistakes say what is wrong", () => {
    expect(checked.missingField!.messages).toMatchInlineSnapshot(`
      [
        "Property 'customer' is missing in type '{ product_group_id: string; }' but required in type 'OnboardCustomerRequest'.",
      ]
    `);
    expect(checked.pathTypo!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '"/cdm/client/{client_id}/customers/{ccid}"' is not assignable to parameter of type '"/cdm/client/{client_id}/customer/{ccid}"'.",
      ]
    `);
    expect(checked.bothOptions!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ apiKey: string; environment: "staging"; baseUrl: "http://127.0.0.1:9"; }' is not assignable to parameter of type 'RelayCdmClientOptions<false>'.
        Types of property 'baseUrl' are incompatible.
          Type '"http://127.0.0.1:9"' is not assignable to type '"(give either environment or baseUrl, not both)"'.",
      ]
    `);
    expect(checked.neitherOption!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ apiKey: string; }' is not assignable to parameter of type 'RelayCdmClientOptions<false>'.
        Type '{ apiKey: string; }' is not assignable to type 'RuntimeOptions<false> & { apiKey: string; } & { baseUrl: string; environment?: "(give either environment or baseUrl, not both)"; }'.
          Property 'baseUrl' is missing in type '{ apiKey: string; }' but required in type '{ baseUrl: string; environment?: "(give either environment or baseUrl, not both)"; }'.",
      ]
    `);
    expect(checked.anyBody!.messages).toMatchInlineSnapshot(`
      [
        "'e.body' is of type 'unknown'.",
      ]
    `);
  });
});
