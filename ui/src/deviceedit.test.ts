// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { DevicePatch } from "./generated/bindings";
import { device } from "./fixtures";
import {
  DEVICE_KINDS,
  devicePatchFromForm,
  editValuesFromDevice,
  emptyPatch,
  kindOptions,
  type DeviceEditValues,
} from "./deviceedit";
import { toElement } from "./html";

const current = device({
  id: "dev-1",
  name: "core-r1",
  address: "127.0.0.1",
  kind: "router",
  siteName: "Lab A",
  lat: 52.5,
  lon: 13.4,
  tags: ["core", "ptp"],
  credentialName: "lab-v2c",
  snmpPort: null,
  enabled: true,
});

function edit(overrides: Partial<DeviceEditValues>): ReturnType<typeof devicePatchFromForm> {
  return devicePatchFromForm(current, { ...editValuesFromDevice(current), ...overrides });
}

function patchOf(r: ReturnType<typeof devicePatchFromForm>): { patch: DevicePatch; changed: string[] } {
  if ("errors" in r) throw new Error(`unexpected errors ${JSON.stringify(r.errors)}`);
  return r;
}

describe("editValuesFromDevice", () => {
  it("shows the device as form text", () => {
    expect(editValuesFromDevice(current)).toEqual({
      name: "core-r1",
      address: "127.0.0.1",
      site: "Lab A",
      lat: "52.5",
      lon: "13.4",
      tags: "core, ptp",
      kind: "router",
      credential: "lab-v2c",
      snmpPort: "",
      enabled: true,
    });
    const bare = editValuesFromDevice(device({ siteName: null, lat: null, lon: null, credentialName: null, snmpPort: 1161 }));
    expect(bare).toMatchObject({ site: "", lat: "", lon: "", credential: "", snmpPort: "1161" });
  });
});

describe("devicePatchFromForm", () => {
  it("sends nothing when nothing changed, including reformatted tags and padded text", () => {
    expect(edit({})).toEqual({ patch: emptyPatch(), changed: [] });
    expect(edit({ name: " core-r1 ", tags: "core,ptp, ", lat: "52.50" })).toEqual({ patch: emptyPatch(), changed: [] });
  });

  it("sends only the changed fields", () => {
    const r = patchOf(edit({ name: "core-r2", kind: "switch", enabled: false }));
    expect(r.changed).toEqual(["name", "kind", "enabled"]);
    expect(r.patch).toEqual({ ...emptyPatch(), name: "core-r2", kind: "switch", enabled: false });
  });

  it("sends both halves of a location when one changes, and clears it when both are emptied", () => {
    expect(patchOf(edit({ lat: "48.1" })).patch).toMatchObject({ lat: 48.1, lon: 13.4, clearLocation: false });
    expect(patchOf(edit({ lat: "", lon: "" })).patch).toMatchObject({ lat: null, lon: null, clearLocation: true });
    // One half emptied: sent as is, so the service names the missing half.
    expect(patchOf(edit({ lon: "" })).patch).toMatchObject({ lat: 52.5, lon: null, clearLocation: false });
  });

  it("clears the site and the credential with an empty string", () => {
    const r = patchOf(edit({ site: "  ", credential: "" }));
    expect(r.patch).toMatchObject({ site: "", credential: "" });
    expect(r.changed).toEqual(["site", "credential"]);
    expect(patchOf(edit({ credential: "core-v3" })).patch.credential).toBe("core-v3");
  });

  it("sends a new tag list as an array", () => {
    expect(patchOf(edit({ tags: "core" })).patch.tags).toEqual(["core"]);
    expect(patchOf(edit({ tags: "" })).patch.tags).toEqual([]);
  });

  it("treats an empty port as 161, since the patch cannot say none", () => {
    expect(patchOf(edit({ snmpPort: "1161" })).patch.snmpPort).toBe(1161);
    const custom = device({ snmpPort: 1161 });
    const emptied = devicePatchFromForm(custom, { ...editValuesFromDevice(custom), snmpPort: "" });
    expect(patchOf(emptied).patch.snmpPort).toBe(161);
    const atDefault = device({ snmpPort: 161 });
    expect(patchOf(devicePatchFromForm(atDefault, { ...editValuesFromDevice(atDefault), snmpPort: "" })).changed).toEqual([]);
  });

  it("reports unparsable numbers as field errors and sends nothing", () => {
    expect(edit({ lat: "north", snmpPort: "0" })).toEqual({
      errors: [
        { field: "lat", message: "must be a number" },
        { field: "snmpPort", message: "must be a whole number 1..65535" },
      ],
    });
  });
});

describe("kinds", () => {
  it("offers every DeviceKind once", () => {
    expect(new Set(DEVICE_KINDS).size).toBe(13);
    expect(DEVICE_KINDS).toContain("unknown");
    const select = toElement(kindOptions(), "select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(DEVICE_KINDS);
    expect(select.querySelector('option[value="ups"]')?.textContent).toBe("ups");
  });
});
