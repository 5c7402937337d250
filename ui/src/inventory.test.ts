import { describe, expect, it } from "vitest";
import { deviceInputFromForm, fieldMessages } from "./inventory";

const blank = { name: "", address: "", site: "", lat: "", lon: "", tags: "" };

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
    const r = deviceInputFromForm({ name: "r1", address: "::1", site: " paris ", lat: "52.5", lon: "-13.4", tags: "core, ptp,," });
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
