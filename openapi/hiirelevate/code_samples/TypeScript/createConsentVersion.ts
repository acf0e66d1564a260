import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const result = await hii.POST("/consents/{consentBaseId}/versions", {
  params: { path: { consentBaseId: "consent-0001" } },
  body: {
    name: "Marketing communication",
    description: "I agree to receive offers by email, SMS and app notifications.",
    isRequired: false,
    url: "https://example.com/consents/marketing/v2",
    availableFrom: "2025-01-01",
  },
});
if (result.status === 404) console.error("No consent consent-0001");
