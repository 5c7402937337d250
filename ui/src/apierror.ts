// The UI's one error type. Every command failure, whatever the transport,
// reaches screens as an `ApiFailure` (an Error, so `message` reads well in a
// log) carrying the service's `ApiError` {kind, detail, fields}. `toApiError`
// is the one normaliser: commands reject with a serialised ApiError, Tauri
// itself rejects with a plain string (e.g. an unknown command), and outside
// Tauri the call throws a TypeError. Nothing from outside may throw
// unshaped, so anything else becomes an "internal" ApiError.
import type { ApiError, ApiErrorKind } from "./generated/bindings";

// A record, not a list: a kind added in Rust (ApiErrorKind is generated)
// and missing here fails to compile instead of reading as "internal".
const KINDS: Record<ApiErrorKind, true> = {
  validation: true,
  not_found: true,
  conflict: true,
  in_use: true,
  schema: true,
  store: true,
  vault: true,
  vault_locked: true,
  network: true,
  permission: true,
  unauthorized: true,
  forbidden: true,
  locked: true,
  throttled: true,
  unsupported: true,
  internal: true,
};
const API_ERROR_KINDS: readonly string[] = Object.keys(KINDS);

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v["kind"] === "string" &&
    API_ERROR_KINDS.includes(v["kind"]) &&
    typeof v["detail"] === "string"
  );
}

/** An ApiError as a thrown Error, so UI code can show `message` and keep the details. */
export class ApiFailure extends Error {
  constructor(readonly api: ApiError) {
    super(`${api.kind}: ${api.detail}`);
    this.name = "ApiFailure";
  }
}

/** Whatever a call rejected with (or an ApiFailure), as an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.api;
  if (isApiError(err)) return { kind: err.kind, detail: err.detail, fields: Array.isArray(err.fields) ? err.fields : [] };
  let detail: string | undefined;
  try {
    detail = err instanceof Error ? err.message : typeof err === "string" ? err : JSON.stringify(err);
  } catch {
    detail = String(err); // a cyclic value
  }
  return { kind: "internal", detail: detail ?? "unknown error", fields: [] };
}
