// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { Channel, ChannelView, DeliveryLogEntry, Route, RouteView } from "./generated/bindings";
import { toElement } from "./html";
import { validationError } from "./inventory";
import { channelsTable, logTable, routesTable } from "./notifylist";
import {
  channelTarget,
  channelValuesOf,
  deliveryText,
  hasStoredSecret,
  notifyFormErrors,
  parseChannelForm,
  parseDelay,
  parseRouteForm,
  routeValuesOf,
  type ChannelFormValues,
  type RouteFormValues,
} from "./notifyform";

function channelValues(over: Partial<ChannelFormValues> = {}): ChannelFormValues {
  return {
    name: " ops mail ",
    enabled: true,
    kind: "email",
    host: "smtp.example.net",
    port: "587",
    security: "starttls",
    from: "meridian@example.net",
    to: "a@example.net, b@example.net,",
    username: "",
    password: "",
    caFile: "",
    url: "",
    flavour: "generic",
    secret: "",
    perMinute: "10",
    burst: "5",
    ...over,
  };
}

function routeValues(over: Partial<RouteFormValues> = {}): RouteFormValues {
  return {
    name: "core to ops",
    enabled: true,
    channel: "ops mail",
    minSeverity: "major",
    sites: "",
    tags: "core, edge",
    problems: "",
    digestMinutes: "",
    escalateAfter: "",
    escalateChannel: "",
    ...over,
  };
}

const email: Channel = {
  name: "ops mail",
  enabled: true,
  rateLimit: { perMinute: 10, burst: 5 },
  kind: { type: "email", host: "smtp.example.net", port: 587, security: "starttls", from: "m@example.net", to: ["a@example.net", "b@example.net"], username: "m", passwordRef: "notify-secret:1", caFile: "/etc/meridian/relay-ca.pem" },
};
const hook: Channel = {
  name: "slack",
  enabled: false,
  rateLimit: { perMinute: 30, burst: 10 },
  kind: { type: "webhook", url: "https://hooks.slack.com/…", flavour: "slack", secretRef: null, urlRef: "notify-secret:2" },
};

describe("channel form", () => {
  it("builds an e-mail channel; an empty password is null (keep the stored one)", () => {
    const p = parseChannelForm(channelValues());
    expect(p.errors).toEqual([]);
    expect(p.value).toEqual({
      channel: {
        name: "ops mail",
        enabled: true,
        rateLimit: { perMinute: 10, burst: 5 },
        kind: { type: "email", host: "smtp.example.net", port: 587, security: "starttls", from: "meridian@example.net", to: ["a@example.net", "b@example.net"], username: null, passwordRef: null, caFile: null },
      },
      password: null,
      secret: null,
    });
    expect(parseChannelForm(channelValues({ password: "s3cret", username: "m" })).value.password).toBe("s3cret");
    expect(parseChannelForm(channelValues({ caFile: " /etc/ca.pem " })).value.channel.kind).toMatchObject({ caFile: "/etc/ca.pem" });
  });

  it("builds a webhook channel with its signing secret, never a password", () => {
    const p = parseChannelForm(channelValues({ kind: "webhook", url: " https://hooks.slack.com/services/T/B/x ", flavour: "slack", secret: "k", password: "ignored" }));
    expect(p.errors).toEqual([]);
    expect(p.value.channel.kind).toEqual({ type: "webhook", url: "https://hooks.slack.com/services/T/B/x", flavour: "slack", secretRef: null, urlRef: null });
    expect(p.value).toMatchObject({ password: null, secret: "k" });
  });

  it("names every problem it can see at once", () => {
    const p = parseChannelForm(channelValues({ name: "", host: " ", port: "70000", to: " , ", perMinute: "0", burst: "x" }));
    expect(p.errors.map((e) => e.field).sort()).toEqual(["burst", "host", "name", "perMinute", "port", "to"]);
    expect(parseChannelForm(channelValues({ kind: "webhook", url: "" })).errors.map((e) => e.field)).toEqual(["url"]);
  });

  it("fills the form from a stored channel with the secret boxes empty, and round-trips", () => {
    const v = channelValuesOf(email);
    expect(v).toMatchObject({ kind: "email", to: "a@example.net, b@example.net", password: "", username: "m", caFile: "/etc/meridian/relay-ca.pem" });
    expect(parseChannelForm(v).value.channel).toEqual({ ...email, kind: { ...email.kind, passwordRef: null } });
    // The redacted URL goes back unchanged, which the service reads as "keep the stored URL".
    expect(parseChannelForm(channelValuesOf(hook)).value.channel.kind).toMatchObject({ url: "https://hooks.slack.com/…" });
    expect(hasStoredSecret(email)).toBe(true);
    expect(hasStoredSecret(hook)).toBe(false);
  });

  it("says where a channel sends, host only", () => {
    expect(channelTarget(email)).toBe("smtp.example.net:587 (STARTTLS) to 2 recipients");
    expect(channelTarget({ ...hook, kind: { ...hook.kind, type: "webhook", url: "https://hooks.slack.com/…", flavour: "slack", secretRef: "k", urlRef: null } })).toBe(
      "Slack at hooks.slack.com, signed",
    );
    expect(channelTarget({ ...hook, kind: { type: "webhook", url: "not a url", flavour: "generic", secretRef: null, urlRef: null } })).toBe("generic JSON at ?");
  });

  it("puts the service's field names on the form's boxes", () => {
    const err = validationError([
      { field: "kind.host", message: "must be a host name or address" },
      { field: "kind.to[1]", message: "is not an address" },
      { field: "rateLimit.burst", message: "must be between 1 and 100" },
      { field: "password", message: "too long" },
    ]);
    expect(notifyFormErrors(err).fields).toEqual([
      { field: "host", message: "must be a host name or address" },
      { field: "to", message: "entry 2: is not an address" },
      { field: "burst", message: "must be between 1 and 100" },
      { field: "password", message: "too long" },
    ]);
  });
});

describe("route form", () => {
  it("builds a route; empty digest and escalation are off", () => {
    const p = parseRouteForm(routeValues());
    expect(p.errors).toEqual([]);
    expect(p.value).toEqual({
      name: "core to ops",
      enabled: true,
      channel: "ops mail",
      minSeverity: "major",
      sites: [],
      tags: ["core", "edge"],
      problems: [],
      digestMinutes: null,
      escalate: null,
    } satisfies Route);
  });

  it("builds a digest and an escalation, and round-trips", () => {
    const p = parseRouteForm(routeValues({ digestMinutes: "15", escalateAfter: "900", escalateChannel: "slack" }));
    expect(p.errors).toEqual([]);
    expect(p.value).toMatchObject({ digestMinutes: 15, escalate: { afterSecs: 900, channel: "slack" } });
    expect(parseRouteForm(routeValuesOf(p.value)).value).toEqual(p.value);
  });

  it("names every problem at once, including half an escalation", () => {
    const p = parseRouteForm(routeValues({ name: "", channel: "", digestMinutes: "0", escalateAfter: "600" }));
    expect(p.errors.map((e) => e.field).sort()).toEqual(["channel", "digestMinutes", "escalateChannel", "name"]);
    expect(parseRouteForm(routeValues({ escalateChannel: "slack" })).errors.map((e) => e.field)).toEqual(["escalateAfter"]);
    expect(notifyFormErrors(validationError([{ field: "escalate.channel", message: "must differ" }, { field: "tags[0]", message: "too long" }])).fields.map((f) => f.field)).toEqual([
      "escalateChannel",
      "tags",
    ]);
  });
});

describe("delay and delivery log", () => {
  it("accepts 0 to 3600 whole seconds", () => {
    expect(parseDelay("0")).toBe(0);
    expect(parseDelay(" 60 ")).toBe(60);
    for (const bad of ["", "-1", "3601", "1.5", "soon"]) expect(typeof parseDelay(bad), bad).toBe("string");
  });

  const entry = (over: Partial<DeliveryLogEntry>): DeliveryLogEntry => ({
    id: "e",
    at: "2026-12-03T10:00:00Z",
    channel: "ops mail",
    alarmId: null,
    kind: "test",
    attempt: 1,
    outcome: "sent",
    status: "250",
    error: null,
    ...over,
  });

  it("says an attempt's outcome with what the peer answered", () => {
    expect(deliveryText(entry({}))).toBe("sent: 250");
    expect(deliveryText(entry({ outcome: "failed", status: "500", error: "server error" }))).toBe("failed: 500 · server error");
    expect(deliveryText(entry({ outcome: "dead", status: null, error: null }))).toBe("dead");
  });

  it("shows the log newest first with attempt, outcome and status", () => {
    const el = toElement(
      logTable([
        entry({ id: "1", at: "2026-12-03T10:00:00Z", attempt: 1, outcome: "failed", status: "500", error: "<b>no</b>" }),
        entry({ id: "3", at: "2026-12-03T10:02:00Z", attempt: 3, outcome: "sent" }),
        entry({ id: "2", at: "2026-12-03T10:01:00Z", attempt: 2, outcome: "failed", status: null, error: "timed out" }),
      ]),
    );
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-outcome"))).toEqual(["sent", "failed", "failed"]);
    expect(rows.map((r) => r.querySelector(".num")?.textContent)).toEqual(["3", "2", "1"]);
    expect(rows[2]?.textContent).toContain("500 · <b>no</b>");
    expect(el.querySelector("b")).toBeNull();
  });
});

describe("channel and route lists", () => {
  const cv = (c: Channel): ChannelView => ({ id: `id-${c.name}`, channel: c, updatedAt: "2026-12-01T00:00:00Z" });

  it("lists channels with kind, host-only target, rate limit and the last test's outcome", () => {
    const el = toElement(channelsTable([cv(hook), cv(email)], new Map([["slack", { ok: false, text: "failed: connection refused" }]])));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.querySelector(".name")?.textContent)).toEqual(["ops mail", "slack"]);
    expect(rows[1]?.textContent).toContain("Slack at hooks.slack.com");
    expect(rows[1]?.textContent).toContain("30/min, burst 10");
    expect(rows[1]?.classList.contains("is-disabled")).toBe(true);
    expect(rows[1]?.querySelector("[data-test]")?.textContent).toBe("failed: connection refused");
    expect(rows[0]?.querySelector("[data-test]")).toBeNull();
    expect(rows[0]?.querySelector("[data-action=test-channel]")).not.toBeNull();
  });

  it("lists routes with their filters, digest and escalation", () => {
    const route = parseRouteForm(routeValues({ digestMinutes: "15", escalateAfter: "900", escalateChannel: "slack" })).value;
    const rv: RouteView = { id: "r1", route, updatedAt: "2026-12-01T00:00:00Z" };
    const text = toElement(routesTable([rv])).textContent ?? "";
    expect(text).toContain("tags core, edge");
    expect(text).toContain("every 15 min (critical at once)");
    expect(text).toContain("after 15 min unacknowledged to slack");
    expect(toElement(routesTable([{ ...rv, route: { ...route, tags: [], escalate: null, digestMinutes: null } }])).textContent).toContain("every alarm");
  });
});
