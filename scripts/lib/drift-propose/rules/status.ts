// `undeclared-status`: the vendor answered a status the operation does not declare. Declare it,
// marked inferred, with the JSON type of the body seen (its schema is for a reviewer to write).
import { isObject } from "@cx-openapi/spec";
import { responseKey } from "../response.js";
import type { WideningRule } from "./input.js";

export const statusRule: WideningRule = ({ record, place }) => {
  if (responseKey(place.operation, record.status) !== undefined)
    return { allowed: `${record.operationId} declares ${record.status} now` };
  if (!isObject(place.operation.responses))
    return { review: `${record.operationId} has no responses to add ${record.status} to` };
  return {
    intents: [
      {
        kind: "add-status",
        responses: [...place.path, "responses"],
        status: record.status,
        body: record.observed.type,
      },
    ],
  };
};
