// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Device } from "./generated/bindings";
import { alarmRow, markerTooltip, popup, severityCounts, summaryLine, unlocatedList } from "./render";
import { toElement } from "./html";
import { alarm, device } from "./fixtures";

const NOW = Date.parse("2025-01-01T12:00:00Z");
const text = (el: Element | null | undefined): string => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

const dev: Device = device({ name: "<b>r1</b>", lat: 52.5, lon: 13.4 });

describe("popup", () => {
  it("shows name, address, state, RTT, loss and last seen, markup as text", () => {
    const el = toElement(
      popup(
        dev,
        { deviceId: "dev-1", state: "up", rttMs: 0.05, lossPct: 0, lastSeen: "2025-01-01T11:59:58Z", lastPoll: null, stale: false, since: null },
        "major",
        NOW,
      ),
    );
    expect(el.querySelector(".popup-name a")?.textContent).toBe("<b>r1</b>");
    expect(el.querySelector("b")).toBeNull();
    expect(el.querySelector(".popup-name a")?.getAttribute("href")).toBe(`#/device/${dev.id}`);
    expect(el.querySelector("code")?.textContent).toBe("127.0.0.1");
    expect(el.querySelector(".state-pill")?.className).toBe("state-pill st-up");
    expect([...el.querySelectorAll("dd")].map((d) => d.textContent)).toEqual(["0.05 ms", "0 %", "2 s ago"]);
    expect(text(el.querySelector(".popup-alarm"))).toBe("worst alarm: major");
    expect(el.querySelector("[style]")).toBeNull();
  });
  it("says when a state is only the last known one, in the popup and the marker's hover text", () => {
    const stale = { deviceId: "dev-1", state: "down" as const, rttMs: null, lossPct: null, lastSeen: null, lastPoll: null, stale: true, since: "2025-01-01T10:00:00Z" };
    const el = toElement(popup(dev, stale, undefined, NOW));
    expect(el.querySelector(".state-pill")?.className).toBe("state-pill st-down stale");
    expect(text(el.querySelector(".popup-stale"))).toMatch(/^last known down since \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(not polled yet\)$/);
    expect(markerTooltip(dev, stale)).toMatch(/^<b>r1<\/b>: last known down since .* \(not polled yet\)$/);
    expect(markerTooltip(dev, { ...stale, stale: false })).toBe("<b>r1</b>: down");
    expect(markerTooltip(dev, { ...stale, since: null })).toBe("<b>r1</b>: last known down (not polled yet)");
    expect(markerTooltip(dev, undefined)).toBe("<b>r1</b>: unknown");
  });

  it("says unknown and never without live data", () => {
    const el = toElement(popup(dev, undefined, undefined, NOW));
    expect(el.querySelector(".st-unknown")).not.toBeNull();
    expect(el.textContent).toContain("never");
    expect(el.querySelector(".popup-alarm")).toBeNull();
  });
  it("shows an img-tag device name as text", () => {
    const el = toElement(popup(device({ name: "<img src=x onerror=alert(1)>" }), undefined, undefined, NOW));
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector(".popup-name a")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("alarm rows", () => {
  it("renders severity, device name, problem and real buttons with the alarm id", () => {
    const a = alarm({ id: "al-1", raisedAt: "2025-01-01T11:59:00Z", additionalText: "no ICMP echo reply" });
    const el = toElement(alarmRow(a, "<r2>", NOW, 0));
    expect(el.querySelector(".sev")?.className).toBe("sev sev-major");
    expect(el.querySelector(".who")?.textContent).toBe("<r2>");
    const what = el.querySelector(".what");
    // Plain words from problem.ts; the additional text is the tooltip, the codes are in the drawer.
    expect(what?.textContent).toBe("Device unreachable");
    expect(what?.getAttribute("title")).toBe(a.additionalText);
    expect(what?.querySelector("button[data-action=open]")?.getAttribute("data-id")).toBe("al-1");
    const ack = el.querySelector("button[data-action=ack]");
    expect([ack?.getAttribute("data-id"), ack?.textContent]).toEqual(["al-1", "Ack"]);
    expect(el.querySelector("button[data-action=clear]")).toBeNull();
    const pick = el.querySelector<HTMLInputElement>("input[data-action=select]");
    expect([pick?.checked, pick?.getAttribute("data-id")]).toEqual([false, "al-1"]);
    expect(el.querySelector(".when")?.textContent).toBe("1 min ago");
    expect(el.querySelector(".when")?.getAttribute("title")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(el.querySelector("[style]")).toBeNull();
  });
  it("shows acknowledged alarms without an Ack button and falls back to the managed object", () => {
    const a = alarm({ ackedAt: "2025-01-01T11:59:00Z", ackedBy: "ops", ackComment: "ticket 7" });
    const el = toElement(alarmRow(a, undefined, NOW, 1));
    expect(el.querySelector("button[data-action=ack]")).toBeNull();
    expect(el.querySelector(".acked")?.getAttribute("title")).toBe("acknowledged by ops: ticket 7");
    expect(el.querySelector(".who")?.textContent).toBe("device=r1");
    const row = el.querySelector(".alarm-row");
    expect(row?.classList.contains("is-acked")).toBe(true);
    expect(row?.classList.contains("odd")).toBe(true);
  });
  it("says why a held alarm was not notified and marks symptoms", () => {
    const symptom = toElement(alarmRow(alarm({ specificProblem: "icmpNoReply", suppressedBy: "root-1" }), "r2", NOW, 0));
    expect(symptom.querySelector(".alarm-row")?.classList.contains("is-symptom")).toBe(true);
    expect(text(symptom.querySelector(".what"))).toBe("behind root No reply to ping");
    const planned = toElement(alarmRow(alarm({ specificProblem: "icmpNoReply", maintenance: "firmware" }), "r2", NOW, 0));
    expect(planned.querySelector(".held")?.getAttribute("title")).toBe("Raised in maintenance window firmware");
    expect(planned.querySelector(".alarm-row")?.classList.contains("is-symptom")).toBe(false);
  });
  it("marks selected and open rows and ticks the checkbox", () => {
    const el = toElement(alarmRow(alarm({ specificProblem: "icmpNoReply" }), "r1", NOW, 0, { selected: true, open: true }));
    const row = el.querySelector(".alarm-row");
    expect(row?.classList.contains("is-selected") && row.classList.contains("is-open")).toBe(true);
    expect(el.querySelector<HTMLInputElement>("input[data-action=select]")?.checked).toBe(true);
    expect(text(el.querySelector(".what"))).toBe("No reply to ping");
  });
});

describe("header and side list", () => {
  it("renders one pressed-state button per active severity", () => {
    const el = toElement(
      severityCounts({ critical: 0, major: 2, minor: 0, warning: 0, indeterminate: 0, cleared: 0 }, new Set(["major"])),
    );
    const buttons = [...el.querySelectorAll("button")];
    expect(buttons).toHaveLength(5);
    const major = el.querySelector("[data-severity=major]");
    expect(major?.className).toBe("count sev-major nonzero");
    expect(major?.getAttribute("aria-pressed")).toBe("true");
    expect(text(major)).toBe("major 2");
    expect(el.querySelector("[data-severity=critical]")?.getAttribute("aria-pressed")).toBe("false");
    expect(el.querySelector("[data-severity=cleared]")).toBeNull();
  });
  it("lists unplaced devices with their state, or nothing", () => {
    expect(toElement(unlocatedList([], new Map())).childElementCount).toBe(0);
    const el = toElement(
      unlocatedList([dev], new Map([["dev-1", { deviceId: "dev-1", state: "down" as const, rttMs: null, lossPct: null, lastSeen: null, lastPoll: null, stale: false, since: null }]])),
    );
    expect(el.querySelector("h3")?.textContent).toBe("Not on the map (1)");
    expect(el.querySelector(".dot")?.classList.contains("st-down")).toBe(true);
    expect(text(el.querySelector("li"))).toBe("<b>r1</b> 127.0.0.1");
    expect(el.querySelector("b")).toBeNull();
  });
  it("summarises counts only", () => {
    expect(
      summaryLine({
        devices: 3,
        markers: 2,
        byColour: { green: 1, amber: 0, red: 1, grey: 0 },
        unlocated: 1,
        counts: { critical: 0, major: 1, minor: 0, warning: 0, indeterminate: 0, cleared: 0 },
        alarms: 1,
        acked: 0,
        rows: 1,
      }),
    ).toBe(
      "devices=3 markers=2 green=1 amber=0 red=1 grey=0 unlocated=1 alarms=1 critical=0 major=1 minor=0 warning=0 indeterminate=0 acked=0 rows=1",
    );
  });
});
