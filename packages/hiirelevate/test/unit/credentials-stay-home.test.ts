// The HiiRelevate client itself, tried as an attacker would: neither its bearer token nor a request body
// follows a redirect to another origin; a fixed token with CR/LF is refused at creation; a client
// secret is refused in a browser page without the explicit opt-in, a plain bearer token is not.
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientCredentials, createHiiRelevateClient, NetworkError } from "../../src/index.js";
import { useServers, sendJson } from "@cx-openapi/devkit/testing";

const token = "eyJhbGciOiJIUzI1NiJ9.redirect-test.Xy7pQ";
const customerId = "7c0e4e1a-3b7d-4f3a-9d2e-1f6b8a9c0d11";
const { serve } = useServers();
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the HiiRelevate client's token never follows a redirect to another origin", () => {
  for (const code of [301, 302, 303, 307, 308]) {
    for (const method of ["GET", "POST"] as const) {
      it(`${code} after a ${method} to 127.0.0.1 on another port: NetworkError, the token and the body stay home`, async () => {
        const other = await serve((_request, res) => sendJson(res, 200, {}));
        const api = await serve((_request, res) => res.writeHead(code, { location: `${other.url}/collect` }).end());
        const hii = createHiiRelevateClient({ token, baseUrl: api.url, retry: false });
        const call =
          method === "GET"
            ? hii.GET("/customers/{customerId}", { params: { path: { customerId } } })
            : hii.POST("/customers", {
                body: {
                  displayName: "Rogerina Rabbitsworth",
                  email: [{ value: "roger.rabbit@acme-toons.example" }],
                  socialSecurityNumber: "219-09-9271",
                },
              });
        await expect(call).rejects.toBeInstanceOf(NetworkError);
        expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
        expect(other.requests).toHaveLength(0);
      });
    }
  }
});

describe("a fixed token with CR, LF or NUL is refused when the HiiRelevate client is created", () => {
  it("is refused at creation, without quoting it", () => {
    expect(() =>
      createHiiRelevateClient({ token: `${token}\r\nX-Injected: 1`, baseUrl: "http://127.0.0.1:9" }),
    ).toThrow(
      new TypeError(
        "createHiiRelevateClient: token must not contain control characters (CR, LF, NUL) or non-Latin-1 ones",
      ),
    );
  });
});

describe("the HiiRelevate client refuses a client secret in a browser page without the opt-in", () => {
  it("clientCredentials is refused where window and document exist unless dangerouslyAllowBrowser: true; a plain token is fine", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    const options = { tokenUrl: "http://127.0.0.1:9/oauth2/token", clientId: "id", clientSecret: "cs_live_browser" };
    expect(() => clientCredentials(options)).toThrow(
      /^clientCredentials: a client secret in a browser is readable by anyone; call the API from your backend/,
    );
    expect(() =>
      createHiiRelevateClient({
        baseUrl: "http://127.0.0.1:9",
        token: clientCredentials({ ...options, dangerouslyAllowBrowser: true }),
      }),
    ).not.toThrow();
    expect(() => createHiiRelevateClient({ baseUrl: "http://127.0.0.1:9", token })).not.toThrow();
  });
});
