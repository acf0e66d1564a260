// The bundled spec of every API (`pnpm bundle` writes them), as the sandbox takes them: by API name,
// each file's path and its parsed document.
import { apiNames, loadSpec, type ApiName, type OpenApiDoc } from "@cx-openapi/spec";
import { getApi } from "../lib/apis.js";

export function bundledSpecs(): { specFiles: Record<ApiName, string>; specs: Record<ApiName, OpenApiDoc> } {
  const specFiles = Object.fromEntries(apiNames.map((name) => [name, getApi(name).bundleJson])) as Record<
    ApiName,
    string
  >;
  const specs = Object.fromEntries(apiNames.map((name) => [name, loadSpec(specFiles[name])])) as Record<
    ApiName,
    OpenApiDoc
  >;
  return { specFiles, specs };
}
