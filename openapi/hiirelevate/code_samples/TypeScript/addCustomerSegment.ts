import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.POST("/customers/{customerId}/segments", {
  params: { path: { customerId } },
  body: { segment: "loyalty-tier", segmentValue: "gold", expires: "2025-12-31" },
});
if (result.status !== 201) console.error(result.status, result.error.message);
