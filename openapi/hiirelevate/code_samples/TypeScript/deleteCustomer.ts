import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.DELETE("/customers/{customerId}", {
  params: { path: { customerId } },
});
if (result.status === 200) console.log("Customer deleted");
else if (result.status === 404) console.log("No such customer");
else console.error(result.status, result.error.message);
