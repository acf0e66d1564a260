// The response of an operation a deviation record names: its place in the bundled document, the
// response a status falls under (exact, then its class, then `default`) and its JSON body schema.
import { isObject, isJsonType, resolvePointer, type OpenApiDoc } from "@cx-openapi/spec";
import { refPath, type Located } from "./locate.js";

export interface OperationPlace {
  /** `["paths", "/cdm/…", "get"]`. */
  path: (string | number)[];
  operation: Record<string, unknown>;
}

/** The operation of a method and path template, where the document has it. */
export function operationPlace(doc: OpenApiDoc, method: string, template: string): OperationPlace | undefined {
  let item: unknown = doc.paths?.[template];
  let itemPath: (string | number)[] = ["paths", template];
  if (isObject(item) && typeof item.$ref === "string") {
    itemPath = refPath(item.$ref);
    item = resolvePointer(doc, item.$ref);
  }
  const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
  return isObject(operation) ? { path: [...itemPath, method.toLowerCase()], operation } : undefined;
}

/** The key a status falls under among an operation's responses: `404`, `4XX` or `default`. */
export function responseKey(operation: Record<string, unknown>, status: number): string | undefined {
  const responses = isObject(operation.responses) ? operation.responses : {};
  return [String(status), `${String(status)[0]}XX`, "default"].find((key) => Object.hasOwn(responses, key));
}

/** The response an operation declares for a status (its `$ref` followed), with its place. */
export function responsePlace(doc: OpenApiDoc, place: OperationPlace, status: number): Located | undefined {
  const key = responseKey(place.operation, status);
  if (key === undefined) return undefined;
  let path: (string | number)[] = [...place.path, "responses", key];
  let response = (place.operation.responses as Record<string, unknown>)[key];
  while (isObject(response) && typeof response.$ref === "string") {
    path = refPath(response.$ref);
    response = resolvePointer(doc, response.$ref);
  }
  return isObject(response) ? { path, schema: response } : undefined;
}

/** The JSON body schema of an operation's response to a status, where the document has one. */
export function responseBody(doc: OpenApiDoc, place: OperationPlace, status: number): Located | undefined {
  const response = responsePlace(doc, place, status);
  const content = response && isObject(response.schema.content) ? response.schema.content : {};
  const media = Object.keys(content).find(isJsonType);
  const schema = media === undefined ? undefined : (content[media] as Record<string, unknown>).schema;
  return isObject(schema) ? { path: [...response!.path, "content", media!, "schema"], schema } : undefined;
}
