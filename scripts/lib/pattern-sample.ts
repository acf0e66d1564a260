// A string that matches a schema's `pattern`, for the simple patterns data formats use: literals,
// escapes (\d \w \s \.), character classes with ranges, `.`, and the quantifiers ? * + {m} {m,}
// {m,n}, anchored or not. Groups, alternation and negated classes are not drawn (undefined): the
// caller then tries another way, and checks what it gets against the schema in any case.

const digits = "0123456789";
const letters = "abcdefghijklmnopqrstuvwxyz";
const word = `${letters}${letters.toUpperCase()}${digits}_`;

interface Atom {
  alphabet: string;
  min: number;
  max: number;
}

/** A string matching `pattern`, each character drawn by `draw` from the alphabet its atom allows. */
export function patternSample(pattern: string, draw: (alphabet: string) => string): string | undefined {
  const atoms = parse(pattern.replace(/^\^/, "").replace(/(?<!\\)\$$/, ""));
  if (!atoms) return undefined;
  return atoms
    .map(({ alphabet, min, max }) => {
      const count = min + Math.floor(Math.random() * (max - min + 1));
      return Array.from({ length: count }, () => draw(alphabet)).join("");
    })
    .join("");
}

function parse(source: string): Atom[] | undefined {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if ("()|^$".includes(char)) return undefined;
    let alphabet: string | undefined;
    if (char === "\\") {
      alphabet = escaped(source[i + 1]);
      i += 2;
    } else if (char === "[") {
      const end = classEnd(source, i);
      alphabet = end < 0 ? undefined : characterClass(source.slice(i + 1, end));
      i = end + 1;
    } else {
      alphabet = char === "." ? letters : char;
      i += 1;
    }
    if (!alphabet) return undefined;
    const quantified = quantifier(source, i);
    if (!quantified) return undefined;
    atoms.push({ alphabet, min: quantified.min, max: quantified.max });
    i = quantified.next;
  }
  return atoms;
}

function escaped(char: string | undefined): string | undefined {
  if (char === undefined) return undefined;
  if (char === "d") return digits;
  if (char === "w") return word;
  if (char === "s") return " ";
  return /[A-Za-z0-9]/.test(char) ? undefined : char;
}

/** Where the class opened at `start` closes, or -1. */
function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  return -1;
}

/** The characters of a class body such as `0-9A-Fa-f_`; a negated class is not drawn. */
function characterClass(body: string): string | undefined {
  if (body.startsWith("^") || body === "") return undefined;
  let alphabet = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "\\") {
      const known = escaped(body[i + 1]);
      if (!known) return undefined;
      alphabet += known;
      i++;
    } else if (body[i + 1] === "-" && i + 2 < body.length) {
      const [low, high] = [char.charCodeAt(0), body.charCodeAt(i + 2)];
      if (high < low || high - low > 200) return undefined;
      for (let code = low; code <= high; code++) alphabet += String.fromCharCode(code);
      i += 2;
    } else alphabet += char;
  }
  return alphabet;
}

/** The repetition after an atom (once when there is none), and where the next atom starts. */
function quantifier(source: string, at: number): { min: number; max: number; next: number } | undefined {
  const char = source[at];
  const lazy = (next: number) => (source[next] === "?" ? next + 1 : next);
  if (char === "?") return { min: 0, max: 1, next: lazy(at + 1) };
  if (char === "*") return { min: 0, max: 3, next: lazy(at + 1) };
  if (char === "+") return { min: 1, max: 4, next: lazy(at + 1) };
  if (char !== "{") return { min: 1, max: 1, next: at };
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!braces) return undefined;
  const min = Number(braces[1]);
  const max = braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : min + 3;
  if (max < min || max > 1000) return undefined;
  return { min, max, next: lazy(at + braces[0].length) };
}
