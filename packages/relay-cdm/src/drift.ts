// @cx-openapi/relay-cdm/drift: opt-in drift reports. Checks a sample of the responses the client
// receives against the spec this package ships (precompiled validators: no eval, so a strict CSP
// allows it) and reports each deviation without any credential, personal or body value.
//   relay.use(driftReporter({ sample: 0.1, onDeviation: (event) => log.warn(event), evidence }))
// Its own entry point: the client's default bundle carries none of it. The checking code and the
// validators come from @cx-openapi/spec/drift, copied into this entry when the package is built.
import { createDriftReporter, type DriftReporter, type DriftReporterOptions } from "@cx-openapi/spec/drift";
import { driftApi } from "@cx-openapi/spec/drift/relay-cdm";

/** Middleware for `relay.use(...)` (or a call's `middleware`) that reports how responses break the spec. */
export function driftReporter(options?: DriftReporterOptions): DriftReporter {
  return createDriftReporter(driftApi, options);
}

// jscpd:ignore-start: both clients' drift entries export the same names.
export {
  DriftError,
  driftEvidence,
  evidenceFormat,
  type DriftEvent,
  type DriftEvidence,
  type DriftEvidenceOptions,
  type DriftReporter,
  type DriftReporterOptions,
  type DeviationRecord,
  type EvidenceRecord,
  type ExchangeOutcome,
  type ObservedShape,
  type TotalsRecord,
} from "@cx-openapi/spec/drift";
// jscpd:ignore-end
