import { describe, expect, it } from "vitest";
import { causeText, eventTypeText, humanize, problemText, x733Code } from "./problem";

describe("problemText", () => {
  // The four built-in alarms of crates/meridian-core/src/alarm.rs (AlarmSpec::*).
  it.each([
    ["communications", "communicationsSubsystemFailure", "icmpNoReply", "No reply to ping"],
    ["processing_error", "applicationSubsystemFailure", "snmpNoResponse", "SNMP agent not responding"],
    ["communications", "lossOfSignal", "linkDown", "Interface down"],
    ["processing_error", "reinitialized", "sysUpTimeReset", "Rebooted"],
  ] as const)("%s / %s / %s reads %s", (eventType, probableCause, specificProblem, words) => {
    expect(problemText({ eventType, probableCause, specificProblem })).toBe(words);
  });

  it("falls back to the cause, then a readable form of an unknown code", () => {
    expect(problemText({ eventType: "equipment", probableCause: "powerProblem", specificProblem: "psu2" })).toBe("Power problem");
    expect(problemText({ eventType: "equipment", probableCause: "fooBar", specificProblem: "fanTrayMissing" })).toBe(
      "Fan tray missing",
    );
    expect(problemText({ eventType: "equipment", probableCause: "fanFailure", specificProblem: "" })).toBe("Fan failure");
    expect(problemText({ eventType: "environmental", probableCause: "", specificProblem: "" })).toBe("Environmental");
  });
});

describe("codes and words", () => {
  it("humanizes camelCase, snake_case and acronyms", () => {
    expect(humanize("lossOfSignal")).toBe("Loss of signal");
    expect(humanize("quality_of_service")).toBe("Quality of service");
    expect(humanize("SNMP agent down")).toBe("SNMP agent down");
    expect(humanize("  ")).toBe("");
  });
  it("names causes and event types", () => {
    expect(causeText("communicationsSubsystemFailure")).toBe("Communication failure");
    expect(causeText("somethingNew")).toBe("Something new");
    expect(eventTypeText("processing_error")).toBe("Processing error");
  });
  it("shows the X.733 triple as codes", () => {
    expect(
      x733Code({ eventType: "communications", probableCause: "communicationsSubsystemFailure", specificProblem: "icmpNoReply" }),
    ).toBe("communications / communicationsSubsystemFailure / icmpNoReply");
  });
});
