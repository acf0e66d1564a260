import { createHiiRelevateClient, type CreateCustomerDto } from "@cx-openapi/hiirelevate";

const hii = createHiiRelevateClient({
  baseUrl: "https://rel-customer-service.retailsvc.com",
  token: process.env.HII_ACCESS_TOKEN!,
});

const customer: CreateCustomerDto = {
  displayName: "Example Customer",
  email: [{ primary: true, value: "example@gmail.com" }],
  gender: "other",
};
const result = await hii.POST("/customers", { body: customer });
if (result.status === 201) console.log("Created", result.data.id);
else console.error(result.status, [result.error.message].flat().join("; "));
