// The request target a server accepts: origin form only (RFC 9112 §3.2.1), a path that starts with
// exactly one `/`. Every other form can name another host once a URL is built from it: `//host/x`
// and `/\host/x` are network-path references to WHATWG URL parsers, `http://host/x` is the absolute
// form, `host:port` the authority form, `*` the asterisk form. Percent-encoded slashes and
// backslashes at the start are refused too, since a later hop may decode them.

export interface OriginForm {
  /** The raw (still percent-encoded) path. */
  path: string;
  /** The query with its `?`, or "". */
  search: string;
}

const leadingSeparator = /^\/(?:[/\\]|%2f|%5c)/i;

/** The target split into path and query, or why it is refused. */
export function originForm(target: string | undefined): OriginForm | { refused: string } {
  if (target === undefined || !target.startsWith("/"))
    return { refused: "the request target must be a path that starts with /" };
  if (leadingSeparator.test(target)) return { refused: "the request target must not start with // or /\\" };
  // A backslash is a separator to WHATWG URL parsers; control characters and spaces never belong.
  if (/[\\\u0000-\u0020\u007f]/.test(target)) return { refused: "the request target holds a forbidden character" };
  if (target.includes("#")) return { refused: "the request target must not hold a fragment" };
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  return { path, search: query < 0 ? "" : target.slice(query) };
}
