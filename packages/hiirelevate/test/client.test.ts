// What the HiiRelevate client wires into the runtime: its bearer token and its x-client name.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useServers } from "../../runtime/test/leak-check.js";
import { script } from "../../runtime/test/local-server.js";
import { createHiiRelevateClient } from "../src/index.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const { serve } = useServers();

describe("the HiiRelevate client", () => {
  it("sends its bearer token and x-client: @cx-openapi/hiirelevate/<version>", async () => {
    const server = await serve(script({ status: 200, body: { id: "c-1" } }));
    const hii = createHiiRelevateClient({ token: "t0ken", baseUrl: server.url });
    await hii.GET("/customers/{customerId}", { params: { path: { customerId: "c-1" } } });
    expect(server.requests[0]?.headers["x-client"]).toBe(`@cx-openapi/hiirelevate/${version}`);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer t0ken");
  });
});
