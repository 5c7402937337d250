import { describe, expect, it } from "vitest";
import { columnWidths, WHO_MAX_CH, WHO_MIN_CH } from "./consolecols";
import { alarm } from "./fixtures";

describe("console column widths", () => {
  it("grow with the longest device name and severity word", () => {
    const short = columnWidths([alarm({ perceivedSeverity: "minor" })], () => "r1");
    expect(short.who).toBe(WHO_MIN_CH);
    const long = columnWidths(
      [alarm({ perceivedSeverity: "indeterminate" }), alarm({ deviceId: "d2" })],
      (id) => (id === "d2" ? "core-switch-frankfurt" : "r1"),
    );
    expect(long.who).toBeGreaterThanOrEqual("core-switch-frankfurt".length);
    expect(long.sev).toBeGreaterThan(short.sev);
  });
  it("fall back to the managed object and cap very long names", () => {
    const w = columnWidths([alarm({ deviceId: null, managedObject: "x".repeat(200) })], () => undefined);
    expect(w.who).toBe(WHO_MAX_CH);
    expect(columnWidths([], () => undefined).who).toBe(WHO_MIN_CH);
  });
});
