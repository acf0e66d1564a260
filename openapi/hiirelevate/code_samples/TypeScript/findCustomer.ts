import { createHiiRelevateClient } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

// The identifiers travel in the body, which keeps them out of URLs and access logs.
const result = await hii.POST("/customers/find", {
  body: {
    email: "example@gmail.com",
    phoneNumber: "+461111111111",
    socialSecurityNumber: "19000101-0000",
  },
});
if (result.status === 201)
  console.log(`${result.data.length} matching customer(s)`, result.data[0]?.id);
else console.error(result.status, result.error.message);
