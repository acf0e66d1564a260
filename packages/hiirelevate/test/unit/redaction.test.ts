// The secrets test through the HiiRelevate client: its bearer tokens, the client secret and the
// personal data its spec tags (x-pii) appear in no string the library produces.
import { describe, expect, it } from "vitest";
import { ApiError, clientCredentials, createHiiRelevateClient, TokenRequestError, unwrap } from "../../src/index.js";
import {
  expectNothingLeaks,
  person,
  printed,
  recorder,
  secrets,
  useServers,
  sendJson,
} from "@cx-openapi/devkit/testing";

const { serve, echo } = useServers();

describe("the secrets test (HiiRelevate)", () => {
  it("HiiRelevate: a fixed bearer token and personal data stay out of ApiErrors and hooks", async () => {
    const server = await echo(() => 400);
    const log = recorder();
    const hii = createHiiRelevateClient({
      token: secrets.bearerToken,
      baseUrl: server.url,
      hooks: log.hooks,
      throwOnError: true,
    });
    const errors = [
      await hii
        .POST("/customers", {
          body: {
            displayName: `${person.firstName} ${person.lastName}`,
            email: [{ value: person.email }],
            phoneNumber: [{ value: person.phone }],
            socialSecurityNumber: person.ssn,
            birthdate: person.dateOfBirth,
          },
        })
        .catch((e: unknown) => e),
      await hii
        .GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } })
        .catch((e: unknown) => e),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(ApiError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secrets.bearerToken}`);
    expectNothingLeaks([...errors.flatMap(printed), ...log.printed()]);
  });

  it("HiiRelevate: a token from clientCredentials is scrubbed wherever the API echoes it", async () => {
    const tokenServer = await serve((_request, res) =>
      sendJson(res, 200, { access_token: secrets.issuedToken, expires_in: 3600 }),
    );
    const server = await echo(() => 404);
    const log = recorder();
    const hii = createHiiRelevateClient({
      token: clientCredentials({
        tokenUrl: `${tokenServer.url}/token`,
        clientId: "cx",
        clientSecret: secrets.clientSecret,
      }),
      baseUrl: server.url,
      hooks: log.hooks,
    });
    const error = await unwrap(
      hii.GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } }),
    ).catch((e: unknown) => e);
    expect((error as ApiError).body).toMatchObject({ seen_auth: `Bearer ${secrets.issuedToken}` });
    expect(JSON.parse(JSON.stringify(error)).body).toMatchObject({ seen_auth: "Bearer [redacted]" });
    expectNothingLeaks([...printed(error), ...log.printed()]);
  });

  it("a failing token endpoint gives a TokenRequestError without the client secret", async () => {
    const refusing = await serve((request, res) =>
      sendJson(res, 401, {
        error: "invalid_client",
        error_description: `bad secret ${secrets.clientSecret} in ${request.body}`,
      }),
    );
    const closed = await serve(() => undefined);
    await closed.close();
    const api = await echo(() => 200);
    const errors: unknown[] = [];
    for (const tokenUrl of [`${refusing.url}/token`, `${closed.url}/token`]) {
      const log = recorder();
      const hii = createHiiRelevateClient({
        token: clientCredentials({ tokenUrl, clientId: "cx", clientSecret: secrets.clientSecret }),
        baseUrl: api.url,
        hooks: log.hooks,
      });
      errors.push(
        await hii
          .GET("/customers/{customerId}", { params: { path: { customerId: person.customerId } } })
          .catch((e: unknown) => e),
      );
      expectNothingLeaks(log.printed());
    }
    for (const error of errors) expect(error).toBeInstanceOf(TokenRequestError);
    expect((errors[0] as TokenRequestError).status).toBe(401);
    expect(api.requests).toHaveLength(0);
    expectNothingLeaks(errors.flatMap(printed));
  });
});
