// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { activeMuteUntil, labelNodes, MUTE_CHOICES, muteChoiceLabel, muteLabel } from "./mute";

// Local times, so the expectations hold in any time zone.
const now = new Date(2026, 2, 3, 9, 30); // Tue 3 March 2026, 09:30

describe("activeMuteUntil", () => {
  it("is null when not muted, when the mute ran out, or when the value is unreadable", () => {
    expect(activeMuteUntil(null, now)).toBeNull();
    expect(activeMuteUntil({ mutedUntil: null, delaySecs: 60 }, now)).toBeNull();
    expect(activeMuteUntil({ mutedUntil: new Date(2026, 2, 3, 9, 0).toISOString(), delaySecs: 60 }, now)).toBeNull();
    expect(activeMuteUntil({ mutedUntil: now.toISOString(), delaySecs: 60 }, now)).toBeNull();
    expect(activeMuteUntil({ mutedUntil: "not a time", delaySecs: 60 }, now)).toBeNull();
  });

  it("is the end of a mute that still holds", () => {
    const until = new Date(2026, 2, 3, 13, 30);
    expect(activeMuteUntil({ mutedUntil: until.toISOString(), delaySecs: 60 }, now)?.getTime()).toBe(until.getTime());
  });
});

describe("muteLabel", () => {
  it("says what it mutes when notifications are on", () => {
    expect(muteLabel(null, now)).toBe("Mute desktop notifications");
    expect(muteChoiceLabel(1)).toBe("Mute desktop notifications for 1 h");
  });

  it("gives HH:MM for a mute ending today, with the weekday otherwise", () => {
    expect(muteLabel(new Date(2026, 2, 3, 13, 5), now, "en-GB")).toBe("Notifications muted until 13:05");
    expect(muteLabel(new Date(2026, 2, 4, 0, 30), now, "en-GB")).toBe("Notifications muted until Wed 00:30");
    expect(muteLabel(new Date(2026, 2, 3, 13, 5), now, "de-DE")).toBe("Notifications muted until 13:05");
    // 12-hour where the locale says so (ICU puts a narrow no-break space before PM).
    expect(muteLabel(new Date(2026, 2, 3, 13, 5), now, "en-US").replace(/\s/g, " ")).toBe("Notifications muted until 1:05 PM");
  });
});

describe("choices", () => {
  it("offers 1, 4, 8 and 24 hours, within the service's 1..168", () => {
    expect(MUTE_CHOICES).toEqual([1, 4, 8, 24]);
    expect(MUTE_CHOICES.every((h) => h >= 1 && h <= 168)).toBe(true);
  });
});

describe("the muted button's nodes", () => {
  it("put 'Notifications muted' in a span whose narrow form says 'Muted', keeping the whole text", () => {
    const nodes = labelNodes("Notifications muted until 14:05");
    const span = nodes[0];
    expect(span instanceof HTMLElement && span.dataset["short"]).toBe("Muted");
    const b = document.createElement("button");
    b.replaceChildren(...nodes);
    expect(b.textContent).toBe("Notifications muted until 14:05");
    expect(labelNodes("Mute desktop notifications")).toEqual(["Mute desktop notifications"]);
  });
});
