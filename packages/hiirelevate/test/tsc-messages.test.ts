// What a user of the HiiRelevate client sees in an editor: the names hovers show, and tsc's
// messages for common mistakes (snapshotted), checked with the repository's own tsconfig.
import { describe, expect, it } from "vitest";
import { check, testDir } from "../../runtime/test/tsc.js";

const prelude = `import { createHiiRelevateClient, isApiError } from "../src/index.js";
const hii = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:9", token: "t" });
const path = { params: { path: { customerId: "c-1" } } };
`;

const checked = check(testDir(import.meta.url), {
  hover: `${prelude}
export async function f(e: unknown) {
  const result = await hii.GET("/customers/{customerId}", path);
  if (result.status === 200) { const data = result.data; void data; }
  if (result.status === 404) { const error = result.error; void error; }
  if (isApiError(e, "GET", "/customers/{customerId}", 404)) { const body = e.body; void body; }
}`,
  missingField: `${prelude}
export const r = hii.POST("/segments", { body: { name: "loyalty", daysValid: 30 } });`,
  pathTypo: `${prelude}
export const r = hii.GET("/customer/{customerId}", path);`,
  noToken: `import { createHiiRelevateClient } from "../src/index.js";
export const r = createHiiRelevateClient({ baseUrl: "http://127.0.0.1:9" });`,
});

describe("what the editor shows", () => {
  it("hovers name the result and the schemas", () => {
    const { hover } = checked;
    expect(hover!.messages).toEqual([]);
    expect(hover!.typeOf("result")).toMatchInlineSnapshot(`"CallResult<paths, "get", "/customers/{customerId}">"`);
    expect(hover!.typeOf("data")).toMatchInlineSnapshot(`"CustomerDto"`);
    expect(hover!.typeOf("error")).toMatchInlineSnapshot(`"ErrorResponse"`);
    expect(hover!.typeOf("body")).toMatchInlineSnapshot(`"ErrorResponse"`);
  });

  it("tsc's messages for common mistakes say what is missing or which paths exist", () => {
    expect(checked.missingField!.messages).toMatchInlineSnapshot(`
      [
        "Property 'allowMultiple' is missing in type '{ name: string; daysValid: number; }' but required in type 'CreateSegmentDto'.",
      ]
    `);
    expect(checked.pathTypo!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '"/customer/{customerId}"' is not assignable to parameter of type '"/customers/{customerId}" | "/health"'.",
      ]
    `);
    expect(checked.noToken!.messages).toMatchInlineSnapshot(`
      [
        "Argument of type '{ baseUrl: string; }' is not assignable to parameter of type 'HiiRelevateClientOptions<false>'.
        Property 'token' is missing in type '{ baseUrl: string; }' but required in type '{ baseUrl: string; token: TokenSource; }'.",
      ]
    `);
  });
});
