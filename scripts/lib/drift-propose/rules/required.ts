// `required`: a field the schema requires was left out. Make it optional where it is required.
import { partWith, pointerTokens } from "../locate.js";
import { isLocated, placeName, pointedAt, type WideningRule } from "./input.js";

export const requiredRule: WideningRule = (input) => {
  const tokens = input.record.pointer.split("/");
  const name = pointerTokens(input.record.pointer).at(-1);
  if (name === undefined || name === "{key}") return { review: "a required field left out, of no declared name" };
  const holder = pointedAt(input, tokens.slice(0, -1).join("/"));
  if (!isLocated(holder)) return holder;
  const target = partWith(input.doc, holder, "required", (list) => Array.isArray(list) && list.includes(name));
  if (!target) return { allowed: `${placeName(holder)} does not require ${name} any more` };
  return { intents: [{ kind: "drop-required", target, name }] };
};
