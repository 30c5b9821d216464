/**
 * What `sdkProbe.js` writes to its result file (see the comment at its top), typed for
 * the unit tests that run it on node and the real-VS-Code tests that run it in processes.
 */

/** The probe's one JSON object: never a secret. */
export interface SdkProbeResult {
  ok: boolean;
  status: number;
  accountId: string | null;
  agencyUrn: string | null;
  errorCode: string | null;
  hwVariables: 'same' | 'different' | 'missing';
}
