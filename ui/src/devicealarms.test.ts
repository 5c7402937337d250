// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { activeAlarmsOf, deviceAlarmList } from "./devicealarms";
import { alarm } from "./fixtures";
import { toElement } from "./html";

const NOW = Date.parse("2025-01-01T12:00:00Z");

describe("device page alarms", () => {
  it("keeps the device's active alarms, worst first", () => {
    const minor = alarm({ deviceId: "d1", perceivedSeverity: "minor" });
    const critical = alarm({ deviceId: "d1", perceivedSeverity: "critical" });
    const cleared = alarm({ deviceId: "d1", clearedAt: "2025-01-01T11:00:00Z" });
    const other = alarm({ deviceId: "d2", perceivedSeverity: "critical" });
    expect(activeAlarmsOf([minor, cleared, other, critical], "d1").map((a) => a.id)).toEqual([critical.id, minor.id]);
  });

  it("offers Acknowledge… on open alarms and says who acknowledged the others", () => {
    const open = alarm({ specificProblem: "icmpNoReply", raisedAt: "2025-01-01T11:00:00Z" });
    const acked = alarm({ ackedAt: "2025-01-01T11:30:00Z", ackedBy: "<ops>", ackComment: "ticket 7" });
    const el = toElement(deviceAlarmList([open, acked], open.id, NOW));
    const rows = [...el.querySelectorAll("li.dp-alarm")];
    expect(rows).toHaveLength(2);
    expect(rows[0]?.querySelector("[data-alarm=open]")?.textContent).toBe("No reply to ping");
    expect(rows[0]?.querySelector("[data-alarm=ack]")?.getAttribute("data-id")).toBe(open.id);
    expect(rows[0]?.classList.contains("is-open")).toBe(true);
    expect(rows[0]?.querySelector(".when")?.textContent).toBe("1 h ago");
    expect(rows[1]?.querySelector("[data-alarm=ack]")).toBeNull();
    expect(rows[1]?.querySelector(".acked")?.textContent).toBe("acked by <ops>");
  });

  it("says when there are none", () => {
    expect(toElement(deviceAlarmList([], null, NOW)).textContent).toContain("No active alarms.");
  });
});
