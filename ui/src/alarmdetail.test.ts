// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { alarmDetail } from "./alarmdetail";
import { alarm } from "./fixtures";
import { toElement } from "./html";

const NOW = Date.parse("2025-01-01T12:00:00Z");
const field = (el: Element, name: string): string => (el.querySelector(`[data-field=${name}]`)?.textContent ?? "").replace(/\s+/g, " ").trim();

describe("alarm detail", () => {
  it("shows the plain-words problem, the X.733 codes, times and the device actions", () => {
    const a = alarm({
      eventType: "communications",
      probableCause: "communicationsSubsystemFailure",
      specificProblem: "icmpNoReply",
      additionalText: "no ICMP echo reply to 3 consecutive polls",
      perceivedSeverity: "critical",
      raisedAt: "2025-01-01T11:00:00Z",
    });
    const el = toElement(alarmDetail(a, { deviceName: "r1", nowMs: NOW }));
    expect(el.querySelector("h3")?.textContent).toContain("No reply to ping");
    expect(field(el, "eventType")).toBe("Communications communications");
    expect(field(el, "probableCause")).toBe("Communication failure communicationsSubsystemFailure");
    expect(field(el, "specificProblem")).toBe("icmpNoReply");
    expect(el.textContent).toContain("(1 h ago)");
    expect(el.querySelector("[data-drawer=device]")?.getAttribute("data-device")).toBe("dev-1");
    expect(el.querySelector("[data-drawer=map]")).not.toBeNull();
    expect(el.querySelector("form[data-drawer=ack]")).not.toBeNull();
    expect(el.querySelector("[data-slot=fault-management]")).not.toBeNull();
    expect(el.querySelector("[style]")).toBeNull();
  });
  it("shows who acknowledged and why, and no ack form or clear on a cleared alarm", () => {
    const a = alarm({
      ackedAt: "2025-01-01T11:30:00Z",
      ackedBy: "ops",
      ackComment: "<b>ticket 7</b>",
      clearedAt: "2025-01-01T11:45:00Z",
      raisedAt: "2025-01-01T11:00:00Z",
      deviceId: null,
    });
    const el = toElement(alarmDetail(a, { deviceName: undefined, nowMs: NOW }));
    expect(field(el, "ackedBy")).toBe("ops");
    expect(field(el, "ackComment")).toBe("<b>ticket 7</b>");
    expect(el.querySelector("b")).toBeNull();
    expect(el.textContent).toContain("after 45 min");
    expect(el.querySelector("form[data-drawer=ack]")).toBeNull();
    expect(el.querySelector("[data-drawer=clear]")).toBeNull();
    expect(el.querySelector("[data-drawer=map]")).toBeNull();
  });
});
