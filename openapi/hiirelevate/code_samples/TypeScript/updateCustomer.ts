import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.PATCH("/customers/{customerId}", {
  params: { path: { customerId } },
  body: {
    phoneNumber: [{ primary: true, type: "work", value: "+461111111111" }],
    addresses: [{ type: "home", streetAddress: "Exempelgatan 2", city: "Stockholm" }],
  },
});
if (result.status !== 200) console.error(result.status, result.error.message);
