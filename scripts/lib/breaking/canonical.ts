// A schema as one JSON text for equality: `$ref`s inlined, annotations dropped, keys sorted. Equal
// texts mean equal schemas, whether written inline or behind a `$ref`.
//
// Each node's text is computed once (a schema reached by many paths costs one walk), and a text
// longer than `foldAbove` characters stands as its SHA-256 inside its parent, so texts stay small
// however often a schema is reused. A `$ref` that is part of a cycle cannot be inlined: it stands
// as its name plus a hash of its whole strongly connected group of schemas (and of what they
// reach), so any change anywhere in a recursive schema still changes the text.
import { createHash } from "node:crypto";
import { forEachNode, type OpenApiDoc, resolvePointer } from "@cx-openapi/spec";

/** Texts longer than this are folded to a hash inside their parent (and at the top). */
export const foldAbove = 2000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const fold = (text: string) =>
  text.length > foldAbove ? JSON.stringify(`#sha256:${sha256(text).slice(0, 32)}`) : text;

export class Canonical {
  private readonly texts = new WeakMap<object, string>();
  /** Texts inside one cyclic group, where the group's own refs stand as bare names. */
  private readonly groupTexts = new Map<number, WeakMap<object, string>>();
  private readonly groupOf = new Map<string, number>();
  private readonly groups: string[][] = [];
  private readonly groupHashes = new Map<number, string>();
  private readonly edges = new Map<string, string[]>();

  constructor(
    private readonly doc: OpenApiDoc,
    private readonly isAnnotation: (key: string) => boolean,
    private readonly spend: (count?: number) => void = () => {},
  ) {}

  /** The canonical text of a schema (or any value) of this document. */
  text(node: unknown): string {
    return this.build(node, this.texts, (ref) => this.refText(ref));
  }

  private build(node: unknown, memo: WeakMap<object, string>, refText: (ref: string) => string): string {
    if (typeof node !== "object" || node === null) return JSON.stringify(node) ?? "null";
    const known = memo.get(node);
    if (known !== undefined) return known;
    this.spend();
    let text: string;
    if (Array.isArray(node)) text = `[${node.map((item) => this.build(item, memo, refText)).join(",")}]`;
    else {
      const record = node as Record<string, unknown>;
      const ref = typeof record.$ref === "string" ? record.$ref : undefined;
      const keys = Object.keys(record)
        .filter((key) => !(key === "$ref" && ref !== undefined) && !this.isAnnotation(key) && record[key] !== undefined)
        .sort();
      const body = `{${keys.map((key) => `${JSON.stringify(key)}:${this.build(record[key], memo, refText)}`).join(",")}}`;
      if (ref === undefined) text = body;
      else text = keys.length ? `{"allOf":[${refText(ref)},${body}]}` : refText(ref);
    }
    text = fold(text);
    memo.set(node, text);
    return text;
  }

  /** A `$ref` outside any cycle is its target's text; one in a cycle is its name and group hash. */
  private refText(ref: string): string {
    const group = this.group(ref);
    if (group === undefined) return this.text(resolvePointer(this.doc, ref));
    return `{"$ref":${JSON.stringify(ref)},"group":"${this.groupHash(group)}"}`;
  }

  /** The hash of a cyclic group: its members' texts (their own refs as names) and all they reach. */
  private groupHash(group: number): string {
    const known = this.groupHashes.get(group);
    if (known !== undefined) return known;
    const members = new Set(this.groups[group]);
    const memo = this.groupTexts.get(group) ?? new WeakMap<object, string>();
    this.groupTexts.set(group, memo);
    const inside = (ref: string) => (members.has(ref) ? `{"$ref":${JSON.stringify(ref)}}` : this.refText(ref));
    const hash = createHash("sha256");
    for (const ref of [...members].sort())
      hash.update(`${ref}\0${this.build(resolvePointer(this.doc, ref), memo, inside)}\0`);
    const digest = hash.digest("hex").slice(0, 32);
    this.groupHashes.set(group, digest);
    return digest;
  }

  /** The refs written inside a ref's target (not followed further). */
  private refsIn(ref: string): string[] {
    const known = this.edges.get(ref);
    if (known) return known;
    const found = new Set<string>();
    forEachNode(resolvePointer(this.doc, ref), (node) => {
      this.spend();
      if (!Array.isArray(node) && typeof (node as { $ref?: unknown }).$ref === "string")
        found.add((node as { $ref: string }).$ref);
    });
    const list = [...found];
    this.edges.set(ref, list);
    return list;
  }

  /** The cyclic group of a ref (undefined: not part of any cycle), finding groups as needed. */
  private group(ref: string): number | undefined {
    if (!this.groupOf.has(ref)) this.findGroups(ref);
    const group = this.groupOf.get(ref)!;
    return group >= 0 ? group : undefined;
  }

  /** Tarjan's strongly connected components over the refs reachable from `start`, iteratively. */
  private findGroups(start: string): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const frames: { ref: string; next: string[]; at: number }[] = [];
    const open = (ref: string) => {
      index.set(ref, index.size);
      low.set(ref, index.get(ref)!);
      stack.push(ref);
      onStack.add(ref);
      frames.push({ ref, next: this.refsIn(ref), at: 0 });
    };
    open(start);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      if (frame.at < frame.next.length) {
        const to = frame.next[frame.at++]!;
        if (this.groupOf.has(to)) continue;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.ref, Math.min(low.get(frame.ref)!, index.get(to)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.ref, Math.min(low.get(parent.ref)!, low.get(frame.ref)!));
      if (low.get(frame.ref) === index.get(frame.ref))
        for (const member of this.closeGroup(stack, frame.ref)) onStack.delete(member);
    }
  }

  /** Pops the group whose root is `root` off the stack and records it; returns its members. */
  private closeGroup(stack: string[], root: string): string[] {
    const members = stack.splice(stack.lastIndexOf(root));
    const cyclic = members.length > 1 || this.refsIn(root).includes(root);
    const group = cyclic ? this.groups.push(members) - 1 : -1;
    for (const member of members) this.groupOf.set(member, group);
    return members;
  }
}
