import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const result = await hii.POST("/segments", {
  body: { name: "loyalty-tier", daysValid: 365, allowMultiple: false },
});
if (result.status === 201) console.log("Segment loyalty-tier created");
else console.error(result.status, result.error.message);
