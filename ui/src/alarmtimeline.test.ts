// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "./generated/bindings";
import { alarmTimeline, STEP_WORDS } from "./alarmtimeline";
import { formatIsoDateTime } from "./format";
import { html, toElement } from "./html";

const ROOT = "0192e4a0-0000-7000-8000-0000000000aa";
const NEXT = "0192e4a0-0000-7000-8000-0000000000bb";
const FLAP = "0192e4a0-0000-7000-8000-0000000000cc";

function entry(at: string, kind: TimelineEntry["kind"], more: Partial<TimelineEntry> = {}): TimelineEntry {
  return { at, kind, actor: "", severity: null, previous: null, related: null, window: null, text: null, ...more };
}

const link = (id: string) => html`<button type="button" data-drawer="alarm" data-id=${id}>that alarm</button>`;

describe("alarm timeline", () => {
  it("shows each step in the order given, with its time through format.ts and who", () => {
    const entries = [
      entry("2026-12-04T09:00:00Z", "raised", { severity: "minor", actor: "monitor" }),
      entry("2026-12-04T09:00:00Z", "suppressed", { related: ROOT, actor: "monitor" }),
      entry("2026-12-04T09:01:00Z", "released", { actor: "monitor" }),
      entry("2026-12-04T09:02:00Z", "acknowledged", { actor: "ana" }),
      entry("2026-12-04T09:02:00Z", "comment", { actor: "ana", text: "<b>ticket</b> 42" }),
      entry("2026-12-04T09:03:00Z", "severityChanged", { previous: "minor", severity: "major", related: NEXT }),
      entry("2026-12-04T09:04:00Z", "inMaintenance", { window: "Saturday" }),
      entry("2026-12-04T09:05:00Z", "cleared", { actor: "monitor" }),
      entry("2026-12-04T09:06:00Z", "flapping", { related: FLAP, actor: "monitor" }),
    ];
    const el = toElement(alarmTimeline({ state: "loaded", entries }, link));
    const steps = [...el.querySelectorAll("li.timeline-step")];
    expect(steps.map((s) => s.getAttribute("data-kind"))).toEqual(entries.map((e) => e.kind));
    expect(steps[0]?.querySelector("time")?.textContent).toBe(formatIsoDateTime(new Date(entries[0]!.at), { seconds: true }));
    expect(steps[0]?.querySelector("time")?.getAttribute("datetime")).toBe("2026-12-04T09:00:00Z");
    expect(steps[0]?.textContent).toContain(STEP_WORDS.raised);
    expect(steps[0]?.querySelector(".sev-minor")?.textContent).toBe("minor");
    expect(steps[1]?.querySelector("button[data-drawer=alarm]")?.getAttribute("data-id")).toBe(ROOT);
    expect(steps[3]?.querySelector(".timeline-by")?.textContent).toContain("ana");
    // A comment is text, never markup.
    expect(steps[4]?.querySelector(".comment-text")?.textContent).toBe("<b>ticket</b> 42");
    expect(el.querySelector("b")).toBeNull();
    expect(steps[5]?.querySelector(".sev-minor")).not.toBeNull();
    expect(steps[5]?.querySelector(".sev-major")).not.toBeNull();
    expect(steps[5]?.querySelector("button")?.getAttribute("data-id")).toBe(NEXT);
    expect(steps[6]?.textContent).toContain("Saturday");
    expect(steps[7]?.querySelector(".timeline-by")).not.toBeNull();
    expect(steps[6]?.querySelector(".timeline-by")).toBeNull();
    // A hold under flapping says so and links the flapping alarm.
    expect(steps[8]?.textContent).toContain(STEP_WORDS.flapping);
    expect(steps[8]?.querySelector("button[data-drawer=alarm]")?.getAttribute("data-id")).toBe(FLAP);
  });

  it("says when loading, when it failed and when there is nothing", () => {
    expect(toElement(alarmTimeline({ state: "loading" }, link)).textContent).toContain("Loading history");
    expect(toElement(alarmTimeline({ state: "failed", message: "unsupported" }, link)).textContent).toContain("unsupported");
    expect(toElement(alarmTimeline({ state: "loaded", entries: [] }, link)).textContent).toContain("No history");
  });
});
