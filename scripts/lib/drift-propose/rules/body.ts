// `unexpected-body`: the vendor answered a body where the response declares none. Declare one, of
// the JSON type seen (its schema is for a reviewer to write), on the response the status falls under.
import { responsePlace } from "../response.js";
import type { WideningRule } from "./input.js";

export const bodyRule: WideningRule = ({ doc, record, place }) => {
  const response = responsePlace(doc, place, record.status);
  if (!response) return { review: `${record.operationId} declares no response for ${record.status}` };
  if (response.schema.content !== undefined)
    return { allowed: `${record.operationId} ${record.status} declares a body now` };
  return { intents: [{ kind: "add-content", response: response.path, body: record.observed.type }] };
};
