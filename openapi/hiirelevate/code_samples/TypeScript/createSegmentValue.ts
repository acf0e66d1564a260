import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const result = await hii.POST("/segments/{segmentName}/values", {
  params: { path: { segmentName: "loyalty-tier" } },
  body: { name: "gold", index: 1 },
});
if (result.status === 404) console.error("No segment loyalty-tier");
