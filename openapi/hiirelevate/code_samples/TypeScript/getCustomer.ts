import { clientCredentials, createHiiRelevateClient } from "@cx-openapi/hiirelevate";

// The provider fetches an access token, caches it and renews it before it expires.
const token = clientCredentials({
  tokenUrl: "https://auth.retailsvc.com/oauth2/token",
  clientId: process.env.HII_CLIENT_ID!,
  clientSecret: process.env.HII_CLIENT_SECRET!,
  audience: "https://hiiretail.com",
});
const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.GET("/customers/{customerId}", {
  params: { path: { customerId } },
});
if (result.status === 200) {
  console.log(result.data.displayName, result.data.email?.[0]?.value);
} else {
  console.error(result.status, result.error.message);
}
