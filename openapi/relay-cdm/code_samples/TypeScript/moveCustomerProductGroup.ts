import { createRelayCdmClient, unwrap } from "@cx-openapi/relay-cdm";

const relay = createRelayCdmClient({
  apiKey: process.env.RELAY_API_KEY!,
  environment: "staging",
});

const path = {
  client_id: "relay_developer",
  ccid: "BAK-11984-007",
  product_group_id: "vip",
};
// unwrap() returns the 200 body, or throws an ApiError (status, redacted body).
const { message } = await unwrap(
  relay.PUT("/cdm/client/{client_id}/customer/{ccid}/move/{product_group_id}", {
    params: { path },
  }),
);
console.log(message);
