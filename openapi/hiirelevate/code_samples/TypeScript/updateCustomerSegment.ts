import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.PUT("/customers/{customerId}/segments", {
  params: { path: { customerId } },
  body: {
    oldSegment: { segment: "loyalty-tier", segmentValue: "silver" },
    newSegment: { segment: "loyalty-tier", segmentValue: "gold" },
  },
});
if (result.status !== 200) console.error(result.status, result.error.message);
