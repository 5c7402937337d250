// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { EventLogEntry } from "./generated/bindings";
import { actionText, clearedAlarms, clearedTable, eventLogTable, eventText } from "./alarmhistory";
import { alarm } from "./fixtures";
import { toElement } from "./html";

const entry = (o: Partial<EventLogEntry>): EventLogEntry => ({
  id: 1,
  at: "2025-01-01T10:00:00Z",
  actor: "monitor",
  action: "device.state",
  entity: "device",
  entityId: "dev-1",
  detail: { from: "up", to: "down" },
  ...o,
});

describe("cleared alarms", () => {
  it("keeps only cleared ones, most recently cleared first", () => {
    const active = alarm();
    const old = alarm({ clearedAt: "2025-01-01T01:00:00Z" });
    const recent = alarm({ clearedAt: "2025-01-01T02:00:00Z" });
    expect(clearedAlarms([old, active, recent])).toEqual([recent, old]);
  });
  it("lists device, plain-words problem and how long it lasted", () => {
    const a = alarm({ raisedAt: "2025-01-01T00:00:00Z", clearedAt: "2025-01-01T01:05:00Z", specificProblem: "icmpNoReply" });
    const el = toElement(clearedTable([a], () => "<r1>"));
    const cells = [...el.querySelectorAll("tbody td")].map((td) => td.textContent?.trim());
    expect(cells.slice(2)).toEqual(["<r1>", "No reply to ping", "1 h 5 min"]);
    expect(el.querySelector("button[data-action=open]")?.getAttribute("data-id")).toBe(a.id);
    expect(toElement(clearedTable([], () => undefined)).textContent).toContain("No cleared alarms");
  });
});

describe("event log", () => {
  it("says what happened in words", () => {
    expect(eventText(entry({}))).toBe("up → down");
    expect(eventText(entry({ action: "device.add", detail: { name: "r1", address: "10.0.0.1" } }))).toBe("r1 10.0.0.1");
    expect(eventText(entry({ detail: null }))).toBe("");
    expect(actionText("device.add")).toBe("Device added");
    expect(actionText("x.y")).toBe("x.y");
  });
  it("tells an alarm's steps with its problem and why it was held", () => {
    const raised = entry({
      action: "alarm.raise",
      entity: "alarm",
      entityId: "a-1",
      detail: { deviceId: "dev-1", probableCause: "lossOfSignal", specificProblem: "flapping:linkDown", severity: "major", suppressedBy: null, maintenance: "firmware" },
    });
    expect(actionText(raised.action)).toBe("Alarm raised");
    expect(eventText(raised)).toBe("Flapping: Interface down, major (in maintenance)");
    const row = toElement(eventLogTable([raised], (id) => (id === "dev-1" ? "core-1" : undefined)));
    expect(row.querySelector("td.who")?.textContent).toBe("core-1");
  });
  it("names devices that still exist", () => {
    const el = toElement(eventLogTable([entry({}), entry({ id: 2, entity: "site", entityId: "s1" })], (id) => (id === "dev-1" ? "r1" : undefined)));
    const rows = [...el.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim()));
    expect(rows[0]?.slice(1)).toEqual(["State changed", "r1", "up → down", "monitor"]);
    expect(rows[1]?.[2]).toBe("site");
    expect(toElement(eventLogTable([], () => undefined)).textContent).toContain("empty");
  });
});
