import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customerId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const pushToken = "example-push-token-0000"; // from the app on the device
const result = await hii.POST("/customers/{customerId}/devices", {
  params: { path: { customerId } },
  body: { deviceOs: "android", deviceUid: "device-0000-example", token: pushToken },
});
if (result.status !== 201) console.error(result.status, result.error.message);
