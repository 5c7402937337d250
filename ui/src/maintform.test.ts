// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { MaintenanceView, MaintenanceWindow } from "./generated/bindings";
import { toElement } from "./html";
import { validationError } from "./inventory";
import { maintFormErrors, maintValuesOf, parseMaintForm, parseUtc, scheduleText, type MaintFormValues } from "./maintform";
import { windowsTable } from "./maintlist";

function values(over: Partial<MaintFormValues> = {}): MaintFormValues {
  return {
    name: " Core upgrade ",
    comment: "",
    enabled: true,
    kind: "weekly",
    onceStart: "",
    onceEnd: "",
    days: ["sun", "sat"],
    weeklyStart: "02:00",
    cronExpr: "",
    minutes: "120",
    scopeAll: false,
    devices: "",
    tags: "core",
    sites: "",
    kinds: "",
    templates: "",
    ...over,
  };
}

describe("schedule in words", () => {
  it("says weekly windows with their days in week order, the UTC start and the length", () => {
    expect(scheduleText({ kind: "weekly", days: ["sun", "sat"], start: "02:00", minutes: 120 })).toBe("Sat, Sun 02:00 UTC for 120 min");
    expect(scheduleText({ kind: "weekly", days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "23:30", minutes: 30 })).toBe(
      "Every day 23:30 UTC for 30 min",
    );
  });

  it("says a one-off window in UTC, the end's date only when it differs", () => {
    expect(scheduleText({ kind: "once", start: "2026-12-05T01:00:00Z", end: "2026-12-05T03:00:00Z" })).toBe("once 2026-12-05 01:00–03:00 UTC");
    expect(scheduleText({ kind: "once", start: "2026-12-05T23:00:00Z", end: "2026-12-06T01:30:00Z" })).toBe(
      "once 2026-12-05 23:00–2026-12-06 01:30 UTC",
    );
  });

  it("says a cron window with its expression", () => {
    expect(scheduleText({ kind: "cron", expr: "0 3 * * 1", minutes: 60 })).toBe("cron 0 3 * * 1 (UTC) for 60 min");
  });
});

describe("maintenance form", () => {
  it("reads UTC date-times, refusing ones that do not exist", () => {
    expect(parseUtc("2026-12-05 01:00")?.toISOString()).toBe("2026-12-05T01:00:00.000Z");
    expect(parseUtc("2026-12-05T01:00")?.toISOString()).toBe("2026-12-05T01:00:00.000Z");
    for (const bad of ["", "2026-02-30 01:00", "2026-12-05 24:00", "2026-12-05 1:00", "tomorrow", "2026-12-05 01:00Z"]) {
      expect(parseUtc(bad), bad).toBeNull();
    }
  });

  it("builds a weekly window: days in week order, scope lists split on commas", () => {
    const p = parseMaintForm(values());
    expect(p.errors).toEqual([]);
    expect(p.window).toEqual({
      name: "Core upgrade",
      comment: "",
      enabled: true,
      scope: { all: false, devices: [], tags: ["core"], sites: [], kinds: [], templates: [] },
      schedule: { kind: "weekly", days: ["sat", "sun"], start: "02:00", minutes: 120 },
    } satisfies MaintenanceWindow);
  });

  it("builds a one-off window in UTC", () => {
    const p = parseMaintForm(values({ kind: "once", onceStart: "2026-12-05 01:00", onceEnd: "2026-12-05 03:00" }));
    expect(p.errors).toEqual([]);
    expect(p.window.schedule).toEqual({ kind: "once", start: "2026-12-05T01:00:00.000Z", end: "2026-12-05T03:00:00.000Z" });
  });

  it("names every problem it can see at once", () => {
    const weekly = parseMaintForm(values({ name: " ", days: [], weeklyStart: "2:00", minutes: "0", tags: "" }));
    expect(weekly.errors.map((e) => e.field).sort()).toEqual(["days", "minutes", "name", "scope", "weeklyStart"]);
    const once = parseMaintForm(values({ kind: "once", onceStart: "2026-12-05 03:00", onceEnd: "2026-12-05 01:00" }));
    expect(once.errors).toEqual([{ field: "onceEnd", message: "must be after the start" }]);
    const bad = parseMaintForm(values({ kind: "once", onceStart: "soon", onceEnd: "" }));
    expect(bad.errors.map((e) => e.field)).toEqual(["onceStart", "onceEnd"]);
    const cron = parseMaintForm(values({ kind: "cron", cronExpr: "  ", minutes: "10081" }));
    expect(cron.errors.map((e) => e.field)).toEqual(["cronExpr", "minutes"]);
  });

  it("round-trips a stored window through the form", () => {
    for (const schedule of [
      { kind: "once", start: "2026-12-05T01:00:00.000Z", end: "2026-12-06T03:00:00.000Z" },
      { kind: "weekly", days: ["mon", "fri"], start: "22:15", minutes: 45 },
      { kind: "cron", expr: "0 3 * * 1", minutes: 60 },
    ] as const) {
      const w: MaintenanceWindow = {
        name: "w",
        comment: "why",
        enabled: false,
        scope: { all: false, devices: ["r1", "r2"], tags: [], sites: ["Berlin"], kinds: ["router"], templates: [] },
        schedule: schedule.kind === "weekly" ? { ...schedule, days: [...schedule.days] } : schedule,
      };
      const p = parseMaintForm(maintValuesOf(w));
      expect(p.errors).toEqual([]);
      expect(p.window).toEqual(w);
    }
  });

  it("puts the service's schedule fields on the boxes of the kind sent", () => {
    const err = validationError([
      { field: "schedule.start", message: "must be a time of day as HH:MM (UTC)" },
      { field: "schedule.expr", message: "bad cron" },
      { field: "schedule.minutes", message: "too long" },
      { field: "name", message: "taken" },
    ]);
    expect(maintFormErrors(err, "weekly").fields.map((f) => f.field)).toEqual(["weeklyStart", "cronExpr", "minutes", "name"]);
    expect(maintFormErrors(err, "once").fields[0]?.field).toBe("onceStart");
    // A client hint on a field is not repeated by the service's.
    expect(maintFormErrors(err, "weekly", [{ field: "minutes", message: "whole number" }]).fields.filter((f) => f.field === "minutes")).toHaveLength(1);
  });
});

describe("maintenance list", () => {
  const view = (name: string, over: Partial<MaintenanceView> = {}): MaintenanceView => ({
    id: `id-${name}`,
    openNow: false,
    updatedAt: "2026-12-01T00:00:00Z",
    window: {
      name,
      comment: "",
      enabled: true,
      scope: { all: true, devices: [], tags: [], sites: [], kinds: [], templates: [] },
      schedule: { kind: "cron", expr: "0 3 * * 1", minutes: 60 },
    },
    ...over,
  });

  it("lists windows by name with schedule, scope, open now and escaped text", () => {
    const el = toElement(windowsTable([view("zeta", { openNow: true }), view("<img src=x onerror=alert(1)>")]));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.querySelector(".name")?.textContent)).toEqual(["<img src=x onerror=alert(1)>", "zeta"]);
    expect(el.querySelector("img")).toBeNull();
    expect(rows[1]?.textContent).toContain("cron 0 3 * * 1 (UTC) for 60 min");
    expect(rows[1]?.textContent).toContain("all devices");
    expect(rows[1]?.querySelector("[data-open]")?.getAttribute("data-open")).toBe("yes");
    expect(rows[0]?.querySelector("[data-open]")?.getAttribute("data-open")).toBe("no");
  });

  it("says how to add one when there are none", () => {
    expect(toElement(windowsTable([])).textContent).toContain("No maintenance windows yet");
  });
});
