import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const result = await hii.POST("/consents", {
  body: {
    name: "Marketing communication",
    description: "I agree to receive offers and news by email and SMS.",
    isRequired: false,
    url: "https://example.com/consents/marketing/v1",
    availableFrom: "2024-01-01",
  },
});
if (result.status !== 201) console.error(result.status, result.error.message);
