// `format` and `pattern`: a string of another shape than the schema asserts. Neither can be widened
// to one more shape, so the assertion goes; the action says which shapes were seen, and a reviewer
// may write a looser one back. On an x-pii field, a reviewer decides (as for a bound).
import { partWith } from "../locate.js";
import { personalBound } from "./bound.js";
import { isLocated, placeName, pointedAt, type WideningRule } from "./input.js";

export const shapeRule: WideningRule = (input) => {
  const { rule } = input.record;
  const at = pointedAt(input);
  if (!isLocated(at)) return at;
  const target = partWith(input.doc, at, rule);
  if (!target) return { allowed: `${placeName(at)} asserts no ${rule} any more` };
  if (input.record.piiField) return { review: personalBound(at, rule) };
  return { intents: [{ kind: "drop-keyword", target, keyword: rule }] };
};
