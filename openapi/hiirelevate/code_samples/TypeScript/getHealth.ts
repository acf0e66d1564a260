import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

// The health check needs no token; the one the client sends is ignored.
const result = await hii.GET("/health");
console.log(result.status === 200 ? "up" : `down: ${result.status}`);
