// The little of semver the release scripts need (no prerelease ordering beyond "x.y.z-pre < x.y.z").

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`Not a version: ${x ? b : a}`);
  return (
    x.major - y.major ||
    x.minor - y.minor ||
    x.patch - y.patch ||
    (x.prerelease === y.prerelease
      ? 0
      : x.prerelease === ""
        ? 1
        : y.prerelease === ""
          ? -1
          : x.prerelease < y.prerelease
            ? -1
            : 1)
  );
}

export type Bump = "major" | "minor" | "patch";

export function bumpVersion(version: string, bump: Bump): string {
  const v = parseVersion(version);
  if (!v) throw new Error(`Not a version: ${version}`);
  if (bump === "major") return `${v.major + 1}.0.0`;
  if (bump === "minor") return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/**
 * Whether `to` may drop compatibility with `from` under semver: a new major, or while the major is 0,
 * a new minor (`^0.1.0` does not accept 0.2.0).
 */
export function allowsBreakingChange(from: string, to: string): boolean {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b) return false;
  if (b.major !== a.major) return b.major > a.major;
  return a.major === 0 && b.minor > a.minor;
}

/**
 * Whether a version satisfies a range made of `||`-separated sets of space-separated comparators
 * (`>=20.19`, `<21`, `^22.12.0`, `22.x`): what package.json `engines` fields use.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`Not a version: ${version}`);
  return range.split("||").some((set) =>
    set
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const match = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
        if (!match) throw new Error(`Unsupported range comparator "${comparator}" in "${range}"`);
        const [, op = "=", major, minor, patch] = match;
        const wild = (part: string | undefined) => part === undefined || part === "x" || part === "*";
        const bound = `${major}.${wild(minor) ? 0 : minor}.${wild(patch) ? 0 : patch}`;
        const cmp = compareVersions(`${v.major}.${v.minor}.${v.patch}`, bound);
        switch (op) {
          case ">=":
            return cmp >= 0;
          case ">":
            return cmp > 0;
          case "<":
            return cmp < 0;
          case "<=":
            return cmp <= 0;
          case "^":
            return (
              cmp >= 0 &&
              (Number(major) > 0 ? v.major === Number(major) : v.major === 0 && v.minor === Number(minor ?? 0))
            );
          case "~":
            return cmp >= 0 && v.major === Number(major) && (wild(minor) || v.minor === Number(minor));
          default:
            return (
              v.major === Number(major) &&
              (wild(minor) || v.minor === Number(minor)) &&
              (wild(patch) || v.patch === Number(patch))
            );
        }
      }),
  );
}
