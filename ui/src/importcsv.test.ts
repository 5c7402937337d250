// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { refusalView, reportView } from "./importcsv";
import { toElement } from "./html";

describe("CSV import views", () => {
  it("says what a dry run would do and what an import did", () => {
    const dry = toElement(reportView({ dryRun: true, devices: ["r1", "r2"], sitesCreated: ["HQ"] }));
    expect(dry.textContent).toBe("Would import 2 devices and create site HQ.");
    const done = toElement(reportView({ dryRun: false, devices: ["r1"], sitesCreated: [] }));
    expect(done.textContent).toBe("Imported 1 device.");
  });

  it("lists every bad row with its field, escaped", () => {
    const el = toElement(
      refusalView({
        kind: "validation",
        detail: "nothing imported",
        fields: [
          { field: "row 3: address", message: "'<b>' is not a valid IP address or host name" },
          { field: "row 5: name", message: "device name 'r1' is also on row 2" },
        ],
      }),
    );
    const items = [...el.querySelectorAll("li")].map((li) => li.textContent);
    expect(items).toEqual([
      "row 3: address: '<b>' is not a valid IP address or host name",
      "row 5: name: device name 'r1' is also on row 2",
    ]);
    expect(el.querySelector("b")).toBeNull();
  });
});
