// Pure helpers for the Devices tab's add form: form values to a DeviceInput
// (numbers parsed here, everything else validated by the service), and the
// service's field errors keyed by input name.
import type { ApiError, DeviceInput, FieldError } from "./generated/bindings";

export interface DeviceFormValues {
  name: string;
  address: string;
  site: string;
  lat: string;
  lon: string;
  tags: string;
}

function optionalText(v: string): string | null {
  const t = v.trim();
  return t === "" ? null : t;
}

function optionalNumber(field: string, v: string, errors: FieldError[]): number | null {
  const t = v.trim();
  if (t === "") return null;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    errors.push({ field, message: "must be a number" });
    return null;
  }
  return n;
}

/** The request, or the fields the service could not even receive (non-numeric coordinates). */
export function deviceInputFromForm(v: DeviceFormValues): { input: DeviceInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lat = optionalNumber("lat", v.lat, errors);
  const lon = optionalNumber("lon", v.lon, errors);
  if (errors.length > 0) return { errors };
  return {
    input: {
      name: v.name.trim(),
      address: v.address.trim(),
      kind: null,
      vendor: null,
      model: null,
      os: null,
      site: optionalText(v.site),
      lat,
      lon,
      tags: v.tags
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
      credential: null,
      snmpPort: null,
      enabled: null,
    },
  };
}

/**
 * Messages per form field. Errors for fields the form does not have (or a
 * validation error without fields) go under "" so they are shown, not lost.
 */
export function fieldMessages(err: ApiError, formFields: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, m: string): void => {
    const list = out.get(k);
    if (list === undefined) out.set(k, [m]);
    else list.push(m);
  };
  for (const f of err.fields) {
    if (formFields.includes(f.field)) add(f.field, f.message);
    else add("", `${f.field}: ${f.message}`);
  }
  if (err.fields.length === 0) add("", err.detail);
  return out;
}
