// Pure helpers shared by the inventory forms: form text to request values
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
  /** A credential name from the picker; "" is none. */
  credential: string;
  snmpPort: string;
}

/** The add form's inputs, in the order the first error gets focus. */
export const DEVICE_ADD_FIELDS = ["name", "address", "site", "lat", "lon", "tags", "credential", "snmpPort"] as const;

export function optionalText(v: string): string | null {
  const t = v.trim();
  return t === "" ? null : t;
}

/** Blank is null; anything `Number` cannot read (or infinite) is a field error. */
export function optionalNumber(field: string, v: string, errors: FieldError[]): number | null {
  const t = v.trim();
  if (t === "") return null;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    errors.push({ field, message: "must be a number" });
    return null;
  }
  return n;
}

/**
 * The port must be checked here: the command takes a u16, and anything else
 * fails deserialisation with a message that names no field.
 */
export function optionalPort(field: string, v: string, errors: FieldError[]): number | null {
  const t = v.trim();
  if (t === "") return null;
  const n = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    errors.push({ field, message: "must be a whole number 1..65535" });
    return null;
  }
  return n;
}

/** Comma-separated; blanks dropped. Spaces inside a tag are left for the service to refuse. */
export function parseTags(v: string): string[] {
  return v
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** The request, or the fields the service could not even receive (non-numeric coordinates, bad port). */
export function deviceInputFromForm(v: DeviceFormValues): { input: DeviceInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lat = optionalNumber("lat", v.lat, errors);
  const lon = optionalNumber("lon", v.lon, errors);
  const snmpPort = optionalPort("snmpPort", v.snmpPort, errors);
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
      tags: parseTags(v.tags),
      credential: optionalText(v.credential),
      snmpPort,
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

/** Client-side parse errors, shaped like the service's so one path shows both. */
export function validationError(fields: FieldError[]): ApiError {
  return { kind: "validation", detail: "", fields };
}

/** The first field (in form order) that has a message, for focus. */
export function firstErrorField(messages: ReadonlyMap<string, string[]>, order: readonly string[]): string | null {
  return order.find((f) => messages.has(f)) ?? null;
}
