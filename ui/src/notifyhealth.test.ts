// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { deliveryBanner, deliveryProblem } from "./notifyhealth";
import { toElement } from "./html";

describe("desktop notification health", () => {
  it("says nothing while delivery works or was never tried", () => {
    expect(deliveryProblem({ failing: false, reason: null, at: null })).toBeNull();
    expect(deliveryProblem({ failing: false, reason: null, at: "2026-12-04T01:00:00Z" })).toBeNull();
  });

  it("names the platform's reason and when it was tried", () => {
    const why = "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications was not provided";
    const text = deliveryProblem({ failing: true, reason: why, at: "2026-12-04T01:00:00Z" });
    expect(text).toMatch(/^Desktop notifications cannot be delivered: org\.freedesktop\.DBus\.Error\.ServiceUnknown: .* \(last tried \d{4}-\d{2}-\d{2} \d{2}:\d{2}\)\.$/);
    expect(deliveryProblem({ failing: true, reason: null, at: "garbage" })).toBe("Desktop notifications cannot be delivered.");
  });

  it("shows the reason as text with a way to the settings", () => {
    const el = toElement(deliveryBanner({ failing: true, reason: "<img src=x onerror=alert(1)>", at: null }));
    expect(el.querySelector("img")).toBeNull();
    expect(el.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(el.querySelector("button[data-action=notification-settings]")?.textContent).toBe("Notification settings");
  });
});
