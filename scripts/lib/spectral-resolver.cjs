// Spectral's file resolver, taught one thing: a `$ref` to a code sample (openapi/<api>/code_samples/**,
// a .ts file) resolves to the file's text, as Redocly resolves it. Spectral would otherwise parse the
// TypeScript as YAML and fail. Only local files resolve: lint never fetches anything.
// Loaded by `spectral lint --resolver` (scripts/lint.ts); CommonJS because Spectral require()s it.
const { createRequire } = require("node:module");

const fromCli = createRequire(require.resolve("@stoplight/spectral-cli/package.json"));
const fromRefResolver = createRequire(fromCli.resolve("@stoplight/spectral-ref-resolver"));
const { Resolver } = fromCli("@stoplight/spectral-ref-resolver");
const { resolveFile } = fromRefResolver("@stoplight/json-ref-readers");

/** Text files a spec may reference as a string value. */
const textFile = /\.(ts|mts|cts|js|mjs|cjs)$/;

module.exports = new Resolver({
  resolvers: {
    file: {
      async resolve(ref) {
        const text = await resolveFile(ref);
        // A JSON string is a YAML document whose value is that string: Spectral then sees the text.
        return textFile.test(ref.path()) ? JSON.stringify(text) : text;
      },
    },
  },
});
