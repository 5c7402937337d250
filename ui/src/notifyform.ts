// The Notifications screen's pure half: channel and route forms to the
// service's types and back, the service's field names (`kind.to[2]`,
// `rateLimit.burst`, `escalate.afterSecs`) mapped onto the forms' inputs,
// and the words the lists show (where a channel sends, a test's outcome).
// Secrets are write-only: an empty password or signing-secret box sends null,
// which the service reads as "keep the stored one".
import type {
  ApiError,
  Channel,
  ChannelInput,
  DeliveryLogEntry,
  FieldError,
  Route,
  Severity,
  SmtpSecurity,
  WebhookFlavour,
} from "./generated/bindings";
import { list } from "./ruleform";

export const SECURITY_LABELS = {
  starttls: "STARTTLS",
  tls: "implicit TLS",
  plain: "plain (local relay)",
} as const satisfies Record<SmtpSecurity, string>;

export const FLAVOUR_LABELS = {
  generic: "generic JSON",
  slack: "Slack",
  teams: "Microsoft Teams",
} as const satisfies Record<WebhookFlavour, string>;

/** The severities a route may start from, most severe first. */
export const ROUTE_SEVERITIES = ["critical", "major", "minor", "warning", "indeterminate"] as const satisfies readonly Severity[];

/** The longest escalation wait the service accepts (a week), in seconds. */
export const ESCALATE_MAX_SECS = 7 * 24 * 3600;

/** The notification delay's bounds, in seconds (the service's). */
export const DELAY_MAX_SECS = 3600;

export const CHANNEL_FIELDS = [
  "name",
  "kind",
  "host",
  "port",
  "security",
  "from",
  "to",
  "username",
  "password",
  "caFile",
  "url",
  "flavour",
  "secret",
  "perMinute",
  "burst",
  "enabled",
] as const;

export const ROUTE_FIELDS = ["name", "channel", "minSeverity", "sites", "tags", "problems", "digestMinutes", "escalateAfter", "escalateChannel", "enabled"] as const;

export interface ChannelFormValues {
  name: string;
  enabled: boolean;
  kind: string;
  host: string;
  port: string;
  security: string;
  from: string;
  to: string;
  username: string;
  password: string;
  /** A path; empty for the system's CAs only. */
  caFile: string;
  url: string;
  flavour: string;
  secret: string;
  perMinute: string;
  burst: string;
}

export interface RouteFormValues {
  name: string;
  enabled: boolean;
  channel: string;
  minSeverity: string;
  sites: string;
  tags: string;
  problems: string;
  digestMinutes: string;
  /** Seconds; empty for no escalation. */
  escalateAfter: string;
  escalateChannel: string;
}

export interface Parsed<T> {
  value: T;
  errors: FieldError[];
}

/** A whole number in [min, max], or a field error and 0. */
function whole(field: string, text: string, min: number, max: number, errors: FieldError[]): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    errors.push({ field, message: `must be a whole number from ${min} to ${max}` });
    return 0;
  }
  return n;
}

function oneOf<T extends string>(v: string, options: Readonly<Record<T, string>>, fallback: T): T {
  return Object.prototype.hasOwnProperty.call(options, v) ? (v as T) : fallback;
}

export function parseChannelForm(v: ChannelFormValues): Parsed<ChannelInput> {
  const errors: FieldError[] = [];
  if (v.name.trim() === "") errors.push({ field: "name", message: "must not be empty" });
  const rateLimit = { perMinute: whole("perMinute", v.perMinute, 1, 600, errors), burst: whole("burst", v.burst, 1, 100, errors) };
  const base = { name: v.name.trim(), enabled: v.enabled, rateLimit };
  const secret = (s: string): string | null => (s === "" ? null : s);
  let channel: Channel;
  if (v.kind === "webhook") {
    if (v.url.trim() === "") errors.push({ field: "url", message: "must not be empty" });
    channel = { ...base, kind: { type: "webhook", url: v.url.trim(), flavour: oneOf(v.flavour, FLAVOUR_LABELS, "generic"), secretRef: null, urlRef: null } };
    return { value: { channel, password: null, secret: secret(v.secret) }, errors };
  }
  if (v.kind === "desktop") return { value: { channel: { ...base, kind: { type: "desktop" } }, password: null, secret: null }, errors };
  if (v.host.trim() === "") errors.push({ field: "host", message: "must not be empty" });
  const to = list(v.to);
  if (to.length === 0) errors.push({ field: "to", message: "needs at least one recipient" });
  channel = {
    ...base,
    kind: {
      type: "email",
      host: v.host.trim(),
      port: whole("port", v.port, 1, 65535, errors),
      security: oneOf(v.security, SECURITY_LABELS, "starttls"),
      from: v.from.trim(),
      to,
      username: v.username.trim() === "" ? null : v.username.trim(),
      passwordRef: null,
      caFile: v.caFile.trim() === "" ? null : v.caFile.trim(),
    },
  };
  return { value: { channel, password: secret(v.password), secret: null }, errors };
}

/** The form's values for a stored channel (Edit); secret boxes start empty ("leave empty to keep"). */
export function channelValuesOf(c: Channel): ChannelFormValues {
  const k = c.kind;
  return {
    name: c.name,
    enabled: c.enabled,
    kind: k.type,
    host: k.type === "email" ? k.host : "",
    port: k.type === "email" ? String(k.port) : "587",
    security: k.type === "email" ? k.security : "starttls",
    from: k.type === "email" ? k.from : "",
    to: k.type === "email" ? k.to.join(", ") : "",
    username: k.type === "email" ? (k.username ?? "") : "",
    password: "",
    caFile: k.type === "email" ? (k.caFile ?? "") : "",
    url: k.type === "webhook" ? k.url : "",
    flavour: k.type === "webhook" ? k.flavour : "generic",
    secret: "",
    perMinute: String(c.rateLimit.perMinute),
    burst: String(c.rateLimit.burst),
  };
}

/** Whether the stored channel holds a secret of the kind its form asks for (to say "stored; leave empty to keep"). */
export function hasStoredSecret(c: Channel): boolean {
  const k = c.kind;
  return (k.type === "email" && k.passwordRef !== null) || (k.type === "webhook" && k.secretRef !== null);
}

export function parseRouteForm(v: RouteFormValues): Parsed<Route> {
  const errors: FieldError[] = [];
  if (v.name.trim() === "") errors.push({ field: "name", message: "must not be empty" });
  if (v.channel.trim() === "") errors.push({ field: "channel", message: "choose a channel" });
  const digest = v.digestMinutes.trim() === "" ? null : whole("digestMinutes", v.digestMinutes, 1, 1440, errors);
  const after = v.escalateAfter.trim();
  const to = v.escalateChannel.trim();
  if (after !== "" && to === "") errors.push({ field: "escalateChannel", message: "choose the channel to escalate to" });
  if (after === "" && to !== "") errors.push({ field: "escalateAfter", message: "say after how many seconds" });
  const afterSecs = after === "" ? 0 : whole("escalateAfter", after, 1, ESCALATE_MAX_SECS, errors);
  const route: Route = {
    name: v.name.trim(),
    enabled: v.enabled,
    channel: v.channel.trim(),
    minSeverity: oneOf(v.minSeverity, Object.fromEntries(ROUTE_SEVERITIES.map((s) => [s, s])) as Record<Severity, string>, "warning"),
    sites: list(v.sites),
    tags: list(v.tags),
    problems: list(v.problems),
    digestMinutes: digest,
    escalate: after === "" || to === "" ? null : { afterSecs, channel: to },
  };
  return { value: route, errors };
}

export function routeValuesOf(r: Route): RouteFormValues {
  return {
    name: r.name,
    enabled: r.enabled,
    channel: r.channel,
    minSeverity: r.minSeverity,
    sites: r.sites.join(", "),
    tags: r.tags.join(", "),
    problems: r.problems.join(", "),
    digestMinutes: r.digestMinutes === null ? "" : String(r.digestMinutes),
    escalateAfter: r.escalate === null ? "" : String(r.escalate.afterSecs),
    escalateChannel: r.escalate?.channel ?? "",
  };
}

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  "rateLimit.perMinute": "perMinute",
  "rateLimit.burst": "burst",
  "escalate.afterSecs": "escalateAfter",
  "escalate.channel": "escalateChannel",
};

/**
 * The service's field names in the form's terms: `kind.host` is `host`,
 * `kind.to[2]` is `to` (its message names the entry), `sites[0]` is `sites`.
 * Client hints come first; a service message on the same field is added.
 */
export function notifyFormErrors(err: ApiError, client: readonly FieldError[] = []): ApiError {
  const fields = [...client];
  for (const f of err.fields) {
    const entry = /^(?:kind\.)?([A-Za-z]+)\[(\d+)\]$/.exec(f.field);
    const field = SERVICE_NAMES[f.field] ?? (entry !== null ? (entry[1] ?? f.field) : f.field.replace(/^kind\./, ""));
    const message = entry !== null ? `entry ${Number(entry[2]) + 1}: ${f.message}` : f.message;
    if (!fields.some((c) => c.field === field && c.message === message)) fields.push({ field, message });
  }
  return { ...err, fields };
}

/** Where a channel sends, host only: "smtp.example.net:587 (STARTTLS) to 2 recipients", "Slack at hooks.slack.com". */
export function channelTarget(c: Channel): string {
  const k = c.kind;
  switch (k.type) {
    case "email":
      return `${k.host}:${k.port} (${SECURITY_LABELS[k.security]}) to ${k.to.length === 1 ? (k.to[0] ?? "") : `${k.to.length} recipients`}`;
    case "webhook":
      return `${FLAVOUR_LABELS[k.flavour]} at ${urlHost(k.url)}${k.secretRef === null ? "" : ", signed"}`;
    case "desktop":
      return "this desktop";
  }
}

/** The host (and port) of a stored, already redacted URL; never its path. */
export function urlHost(url: string): string {
  try {
    return new URL(url.replace("\u2026", "")).host || "?";
  } catch {
    return "?";
  }
}

export function rateText(c: Channel): string {
  return `${c.rateLimit.perMinute}/min, burst ${c.rateLimit.burst}`;
}

/** What the peer answered and what went wrong: "250", "500 · server said no"; "" when neither. */
export function statusText(e: DeliveryLogEntry): string {
  return [e.status, e.error].filter((t): t is string => t !== null && t !== "").join(" · ");
}

/** An attempt's outcome in a sentence: "sent: 250", "failed: 500 · server said no". */
export function deliveryText(e: DeliveryLogEntry): string {
  const s = statusText(e);
  return s === "" ? e.outcome : `${e.outcome}: ${s}`;
}

/** The delay box, as seconds; an error message when out of range. */
export function parseDelay(text: string): number | string {
  const errors: FieldError[] = [];
  const n = whole("delay", text, 0, DELAY_MAX_SECS, errors);
  return errors[0]?.message ?? n;
}
