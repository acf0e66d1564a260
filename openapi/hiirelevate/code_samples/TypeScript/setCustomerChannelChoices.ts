import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const result = await hii.POST("/customers/{customerId}/channel-choices", {
  params: { path: { customerId } },
  body: [
    { channelId: "email-newsletter", optIn: true },
    { channelId: "sms-offers", optIn: false },
  ],
});
if (result.status !== 201) console.error(result.status, result.error.message);
