import { describe, expect, it } from "vitest";
import type { Device } from "./generated/bindings";
import { device as baseDevice } from "./fixtures";
import { EMPTY_STATE_HTML, escapeHtml, renderDevices, renderError } from "./devices";
import { toApiError } from "./apierror";

function device(overrides: Partial<Device> = {}): Device {
  return baseDevice({ id: "0192e4a0-0000-7000-8000-000000000001", name: "core-r1", ...overrides });
}

describe("escapeHtml", () => {
  it("escapes every HTML-significant character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("renderDevices", () => {
  it("shows the empty state with the CLI hint when there are no devices", () => {
    const html = renderDevices([]);
    expect(html).toBe(EMPTY_STATE_HTML);
    expect(html).toContain("No devices yet");
    expect(html).toContain("meridian device add NAME ADDRESS");
    expect(html).not.toContain("<table");
  });

  it("renders one row per device with name, address, kind, site, tags and state", () => {
    const html = renderDevices([
      device({ name: "edge-sw2", address: "127.0.0.2", kind: "switch", siteName: "Lab A", tags: ["core", "ptp"] }),
      device({ name: "core-r1", enabled: false }),
    ]);
    expect(html.match(/<tr data-id=/g)).toHaveLength(2);
    // sorted by name, so core-r1 comes first
    expect(html.indexOf("core-r1")).toBeLessThan(html.indexOf("edge-sw2"));
    expect(html).toContain("<code>127.0.0.2</code>");
    expect(html).toContain("<td>switch</td>");
    expect(html).toContain("<td>Lab A</td>");
    expect(html).toContain('<span class="tag">core</span><span class="tag">ptp</span>');
    expect(html).toContain('<span class="state off">disabled</span>');
    expect(html).toContain('<span class="state on">enabled</span>');
  });

  it("falls back to the site id, then a dash, when the site has no name", () => {
    expect(renderDevices([device({ siteId: "site-7" })])).toContain("<td>site-7</td>");
    expect(renderDevices([device()])).toContain('<span class="muted">—</span>');
  });

  it("escapes markup in user-supplied fields", () => {
    const html = renderDevices([
      device({ name: "<script>alert(1)</script>", address: "<img src=x onerror=alert(2)>", tags: ['"><b>x'] }),
    ]);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;b&gt;x");
  });
});

describe("device table state and actions", () => {
  it("shows the live state (unknown without data) and a labelled Remove button per row", () => {
    const d = device({ id: "dev-1", name: "r<1>" });
    const live = new Map([["dev-1", { deviceId: "dev-1", state: "down" as const, rttMs: null, lossPct: 100, lastSeen: null, lastPoll: null }]]);
    const html = renderDevices([d], live);
    expect(html).toContain('<span class="state-pill st-down">down</span>');
    expect(html).toContain('data-action="remove" data-id="dev-1" aria-label="Remove r&lt;1&gt;"');
    expect(renderDevices([d])).toContain("st-unknown");
    expect(html).toContain('<td class="name"><a href="#/device/dev-1">r&lt;1&gt;</a></td>');
  });

  it("puts a labelled Edit button before Remove", () => {
    const html = renderDevices([device({ id: "dev-1", name: "r<1>" })]);
    expect(html).toContain('data-action="edit" data-id="dev-1" aria-label="Edit r&lt;1&gt;">Edit</button>');
    expect(html.indexOf('data-action="edit"')).toBeLessThan(html.indexOf('data-action="remove"'));
  });
});

describe("errors", () => {
  it("renders the kind, the detail and field messages, escaped", () => {
    const html = renderError({
      kind: "validation",
      detail: "device <name> is invalid",
      fields: [{ field: "address", message: "not an IP & not a hostname" }],
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('<span class="kind">validation</span>');
    expect(html).toContain('<span class="detail">device &lt;name&gt; is invalid</span>');
    expect(html).toContain("<li><code>address</code>: not an IP &amp; not a hostname</li>");
  });

  it("keeps a serialised ApiError as it is", () => {
    expect(toApiError({ kind: "in_use", detail: "data dir locked", fields: [] })).toEqual({
      kind: "in_use",
      detail: "data dir locked",
      fields: [],
    });
  });

  it("turns Tauri's string rejections and thrown errors into internal errors", () => {
    expect(toApiError("command list_devices not found")).toEqual({
      kind: "internal",
      detail: "command list_devices not found",
      fields: [],
    });
    expect(toApiError(new TypeError("window.__TAURI_INTERNALS__ is undefined")).detail).toContain("__TAURI_INTERNALS__");
    expect(toApiError({ kind: "bogus", detail: "x" }).kind).toBe("internal");
  });
});
