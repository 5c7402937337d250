import { describe, expect, it } from "vitest";
import {
  deviceInputFromForm,
  fieldMessages,
  firstErrorField,
  optionalPort,
  parseTags,
  validationError,
} from "./inventory";
import type { FieldError } from "./generated/bindings";
import { ApiFailure, toApiError } from "./apierror";

const blank = { name: "", address: "", site: "", lat: "", lon: "", tags: "", credential: "", snmpPort: "" };

describe("deviceInputFromForm", () => {
  it("builds a full DeviceInput with nulls for empty optional fields", () => {
    expect(deviceInputFromForm({ ...blank, name: " r1 ", address: "127.0.0.1" })).toEqual({
      input: {
        name: "r1",
        address: "127.0.0.1",
        kind: null,
        vendor: null,
        model: null,
        os: null,
        site: null,
        lat: null,
        lon: null,
        tags: [],
        credential: null,
        snmpPort: null,
        enabled: null,
      },
    });
  });

  it("parses coordinates, site and comma-separated tags", () => {
    const r = deviceInputFromForm({ ...blank, name: "r1", address: "::1", site: " paris ", lat: "52.5", lon: "-13.4", tags: "core, ptp,," });
    expect(r).toMatchObject({ input: { site: "paris", lat: 52.5, lon: -13.4, tags: ["core", "ptp"] } });
  });

  it("reports non-numeric coordinates per field, leaving range checks to the service", () => {
    expect(deviceInputFromForm({ ...blank, lat: "north", lon: "1e999" })).toEqual({
      errors: [
        { field: "lat", message: "must be a number" },
        { field: "lon", message: "must be a number" },
      ],
    });
    expect(deviceInputFromForm({ ...blank, lat: "95", lon: "0" })).toMatchObject({ input: { lat: 95, lon: 0 } });
  });
});

describe("fieldMessages", () => {
  const fields = ["name", "address", "lat"];
  it("keys messages by field, collecting several per field", () => {
    const m = fieldMessages(
      {
        kind: "validation",
        detail: "invalid device",
        fields: [
          { field: "name", message: "is required" },
          { field: "name", message: "too long" },
          { field: "address", message: "not an IP address or host name" },
        ],
      },
      fields,
    );
    expect(m.get("name")).toEqual(["is required", "too long"]);
    expect(m.get("address")).toEqual(["not an IP address or host name"]);
    expect(m.has("")).toBe(false);
  });

  it("puts unknown fields and field-less errors under the form, not nowhere", () => {
    expect(fieldMessages({ kind: "validation", detail: "x", fields: [{ field: "kind", message: "unknown" }] }, fields).get("")).toEqual([
      "kind: unknown",
    ]);
    expect(fieldMessages({ kind: "conflict", detail: "name already used", fields: [] }, fields).get("")).toEqual([
      "name already used",
    ]);
  });
});

describe("the add form's credential and port", () => {
  it("sends the picked credential by name and the port as a number; none is null", () => {
    expect(deviceInputFromForm({ ...blank, credential: "lab-v2c", snmpPort: " 1161 " })).toMatchObject({
      input: { credential: "lab-v2c", snmpPort: 1161 },
    });
    expect(deviceInputFromForm({ ...blank })).toMatchObject({ input: { credential: null, snmpPort: null } });
  });

  it("reports a port that is no u16 as a field error, with the coordinates", () => {
    expect(deviceInputFromForm({ ...blank, lat: "x", snmpPort: "70000" })).toEqual({
      errors: [
        { field: "lat", message: "must be a number" },
        { field: "snmpPort", message: "must be a whole number 1..65535" },
      ],
    });
  });
});

describe("optionalPort", () => {
  const port = (v: string): { n: number | null; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    return { n: optionalPort("snmpPort", v, errors), errors };
  };
  it("accepts 1..65535 and blank", () => {
    expect(port("1")).toEqual({ n: 1, errors: [] });
    expect(port("65535")).toEqual({ n: 65535, errors: [] });
    expect(port("  ")).toEqual({ n: null, errors: [] });
  });
  it("refuses zero, too large, fractions, signs and words", () => {
    for (const bad of ["0", "65536", "161.5", "-1", "+161", "1e3", "snmp", "0x a1"]) {
      expect(port(bad).errors, bad).toHaveLength(1);
      expect(port(bad).n, bad).toBeNull();
    }
  });
});

describe("parseTags", () => {
  it("splits on commas, trims and drops blanks, keeping inner spaces for the service to refuse", () => {
    expect(parseTags(" core ,ptp,, lab a ,")).toEqual(["core", "ptp", "lab a"]);
    expect(parseTags("")).toEqual([]);
    expect(parseTags(" , ")).toEqual([]);
  });
});

describe("error helpers", () => {
  it("takes the ApiError from api.ts's ApiFailure, or normalises anything else", () => {
    const api = { kind: "conflict" as const, detail: "in use", fields: [] };
    expect(toApiError(new ApiFailure(api))).toEqual(api);
    expect(toApiError(api)).toEqual(api);
    expect(toApiError("command not found")).toEqual({ kind: "internal", detail: "command not found", fields: [] });
  });

  it("finds the first bad field in form order, not in message order", () => {
    const m = fieldMessages(
      validationError([
        { field: "tags", message: "bad" },
        { field: "address", message: "bad" },
        { field: "vendor", message: "too long" },
      ]),
      ["name", "address", "tags"],
    );
    expect(firstErrorField(m, ["name", "address", "tags"])).toBe("address");
    expect(m.get("")).toEqual(["vendor: too long"]);
    expect(firstErrorField(new Map([["", ["x"]]]), ["name"])).toBeNull();
  });
});
