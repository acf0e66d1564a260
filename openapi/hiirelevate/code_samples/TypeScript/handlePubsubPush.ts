import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

// Internal: Google Cloud Pub/Sub pushes here. Useful to replay a push in tests.
const result = await hii.POST("/pubsub/channels", {
  body: {
    subscription: "projects/example-project/subscriptions/example-channel-events",
    message: {
      data: btoa(JSON.stringify({ channelId: "email-newsletter" })),
      messageId: "1234567890123456",
      attributes: {
        tenantId: "example-tenant",
        userId: "example-user",
        correlationId: "00000000-0000-4000-8000-00000000c0de",
      },
    },
  },
});
console.log(result.status === 201 ? "acknowledged" : `rejected: ${result.status}`);
