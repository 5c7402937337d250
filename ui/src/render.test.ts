import { describe, expect, it } from "vitest";
import type { Device } from "./generated/bindings";
import { alarmRowHtml, formatAgo, formatRtt, popupHtml, severityCountsHtml, summaryLine, unlocatedHtml } from "./render";
import { alarm, device } from "./fixtures";

const NOW = Date.parse("2025-01-01T12:00:00Z");

const dev: Device = device({ name: "<b>r1</b>", lat: 52.5, lon: 13.4 });

describe("formatting", () => {
  it("formats relative times", () => {
    expect(formatAgo(null, NOW)).toBe("never");
    expect(formatAgo("2025-01-01T12:00:00Z", NOW)).toBe("just now");
    expect(formatAgo("2025-01-01T11:59:30Z", NOW)).toBe("30 s ago");
    expect(formatAgo("2025-01-01T11:55:00Z", NOW)).toBe("5 min ago");
    expect(formatAgo("2025-01-01T09:00:00Z", NOW)).toBe("3 h ago");
    expect(formatAgo("2024-12-29T12:00:00Z", NOW)).toBe("3 d ago");
    expect(formatAgo("garbage", NOW)).toBe("unknown");
  });
  it("formats RTT", () => {
    expect(formatRtt(null)).toBe("—");
    expect(formatRtt(0.0421)).toBe("0.04 ms");
    expect(formatRtt(123.45)).toBe("123.5 ms");
  });
});

describe("popup", () => {
  it("shows name, address, state, RTT, loss and last seen, escaped", () => {
    const html = popupHtml(
      dev,
      { deviceId: "dev-1", state: "up", rttMs: 0.05, lossPct: 0, lastSeen: "2025-01-01T11:59:58Z", lastPoll: null },
      "major",
      NOW,
    );
    expect(html).toContain("&lt;b&gt;r1&lt;/b&gt;");
    expect(html).not.toContain("<b>");
    expect(html).toContain("<code>127.0.0.1</code>");
    expect(html).toContain("st-up");
    expect(html).toContain("0.05 ms");
    expect(html).toContain("0 %");
    expect(html).toContain("2 s ago");
    expect(html).toContain("worst alarm: major");
    expect(html).not.toContain("style=");
    expect(html).toContain(`<a href="#/device/${dev.id}">`);
  });
  it("says unknown and never without live data", () => {
    const html = popupHtml(dev, undefined, undefined, NOW);
    expect(html).toContain("st-unknown");
    expect(html).toContain("never");
    expect(html).not.toContain("worst alarm");
  });
});

describe("alarm rows", () => {
  it("renders severity, device name, problem and real buttons with the alarm id", () => {
    const a = alarm({ id: "al-1", raisedAt: "2025-01-01T11:59:00Z" });
    const html = alarmRowHtml(a, "<r2>", NOW, 0);
    expect(html).toContain('class="sev sev-major"');
    expect(html).toContain("&lt;r2&gt;");
    expect(html).toContain('<span class="what" role="cell" title="loss of signal — device unreachable">device unreachable</span>');
    expect(html).toContain('<button type="button" class="small" data-action="ack" data-id="al-1">Ack</button>');
    expect(html).toContain('data-action="clear" data-id="al-1"');
    expect(html).toContain("1 min ago");
    expect(html).not.toContain("style=");
  });
  it("shows acknowledged alarms without an Ack button and falls back to the managed object", () => {
    const a = alarm({ ackedAt: "2025-01-01T11:59:00Z", ackedBy: "ops", ackComment: "ticket 7" });
    const html = alarmRowHtml(a, undefined, NOW, 1);
    expect(html).not.toContain('data-action="ack"');
    expect(html).toContain("acknowledged by ops: ticket 7");
    expect(html).toContain("device=r1");
    expect(html).toContain("is-acked");
    expect(html).toContain(" odd");
  });
});

describe("header and side list", () => {
  it("renders one pressed-state button per active severity", () => {
    const html = severityCountsHtml(
      { critical: 0, major: 2, minor: 0, warning: 0, indeterminate: 0, cleared: 0 },
      new Set(["major"]),
    );
    expect(html.match(/<button/g)).toHaveLength(5);
    expect(html).toContain('class="count sev-major nonzero" data-severity="major" aria-pressed="true"');
    expect(html).toContain('data-severity="critical" aria-pressed="false"');
    expect(html).not.toContain("cleared");
  });
  it("lists unplaced devices with their state, or nothing", () => {
    expect(unlocatedHtml([], new Map())).toBe("");
    const html = unlocatedHtml([dev], new Map([["dev-1", { deviceId: "dev-1", state: "down" as const, rttMs: null, lossPct: null, lastSeen: null, lastPoll: null }]]));
    expect(html).toContain("Not on the map (1)");
    expect(html).toContain("st-down");
    expect(html).toContain("&lt;b&gt;r1");
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
