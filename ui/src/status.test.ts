import { describe, expect, it } from "vitest";
import { COLOUR_HEX, markerStyle, SEVERITY_HEX, stateColour } from "./status";

describe("state colours", () => {
  it("maps up/degraded/down/unknown to green/amber/red/grey", () => {
    expect(stateColour("up")).toBe("green");
    expect(stateColour("degraded")).toBe("amber");
    expect(stateColour("down")).toBe("red");
    expect(stateColour("unknown")).toBe("grey");
    expect(stateColour(undefined)).toBe("grey");
  });
});

describe("markerStyle", () => {
  it("fills by state with a thin neutral ring when there is no alarm", () => {
    const s = markerStyle("up", undefined);
    expect(s.fillColor).toBe(COLOUR_HEX.green);
    expect(s.weight).toBe(1);
    expect(s.radius).toBe(7);
  });

  it("rings with the worst alarm's colour and grows for major and critical", () => {
    const s = markerStyle("down", "critical");
    expect(s.fillColor).toBe(COLOUR_HEX.red);
    expect(s.color).toBe(SEVERITY_HEX.critical);
    expect(s.weight).toBe(3);
    expect(s.radius).toBe(9);
    expect(markerStyle("up", "minor").radius).toBe(7);
    expect(markerStyle("up", "minor").color).toBe(SEVERITY_HEX.minor);
  });

  it("fades a stale state's marker and dashes its ring; a polled one is solid", () => {
    const stale = markerStyle("down", "major", true);
    expect([stale.fillColor, stale.fillOpacity, stale.dashArray, stale.stale]).toEqual([COLOUR_HEX.red, 0.35, [2, 3], true]);
    const live = markerStyle("down", "major");
    expect([live.fillOpacity, live.dashArray, live.stale]).toEqual([0.9, [], false]);
  });

  it("treats a cleared severity as no alarm", () => {
    expect(markerStyle("up", "cleared").weight).toBe(1);
  });
});
