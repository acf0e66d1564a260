// What the HiiRelevate client wires into the runtime: its bearer token and its x-client name.
import { describe, expect, it } from "vitest";
import { createHiiRelevateClient } from "../../src/index.js";
import packageJson from "../../package.json" with { type: "json" };
import { useServers, script } from "@cx-openapi/devkit/testing";

const { serve } = useServers();

describe("the HiiRelevate client", () => {
  it("sends its bearer token and x-client: @cx-openapi/hiirelevate/<version>", async () => {
    const server = await serve(script({ status: 200, body: { id: "c-1" } }));
    const hii = createHiiRelevateClient({ token: "t0ken", baseUrl: server.url });
    await hii.GET("/customers/{customerId}", { params: { path: { customerId: "c-1" } } });
    expect(server.requests[0]?.headers["x-client"]).toBe(`@cx-openapi/hiirelevate/${packageJson.version}`);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer t0ken");
  });
});
