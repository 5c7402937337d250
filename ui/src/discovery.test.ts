// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { CoreEvent, DiscoveryRun, FoundDevice } from "./generated/bindings";
import type { DiscoveryFormValues } from "./discovery";
import {
  compareAddresses,
  defaultSelection,
  discoveryEventRun,
  discoveryFieldMessages,
  formatElapsed,
  mergeFound,
  outcomeText,
  progressOfRun,
  progressView,
  confidenceWord,
  requestFromForm,
  resultRow,
  runSummary,
  selectAll,
  selectedAddresses,
  selectionState,
  sortFound,
  splitTargets,
  toggleRow,
  wantsForce,
} from "./discovery";
import { credentialChecks, resultsTable, runsList } from "./discovery-html";
import { toElement } from "./html";

const RUN = "0190f2a4-0000-7000-8000-00000000abcd";

const form: DiscoveryFormValues = {
  targets: "",
  credentials: [],
  communities: [""],
  mode: "icmpThenSnmp",
  snmpWithoutPing: false,
  port: "161",
  force: false,
  site: "",
  tags: "",
};

function found(address: string, over: Partial<FoundDevice> = {}): FoundDevice {
  return {
    runId: RUN,
    address,
    otherAddresses: [],
    alive: true,
    rttMs: null,
    snmp: null,
    credentialId: null,
    credentialLabel: null,
    classification: null,
    existing: null,
    matchedBy: null,
    added: null,
    suggestedName: address,
    ...over,
  };
}

const switchFound = found("127.1.8.1", {
  snmp: {
    sysName: "sw-7.lab.example.net",
    sysDescr: "Cisco IOS",
    sysObjectId: "1.3.6.1.4.1.9.1.1",
    sysLocation: "",
    sysServices: 6,
    engineId: null,
    chassisId: null,
    port: 161,
  },
  suggestedName: "sw-7",
  classification: {
    vendor: { value: "Cisco", confidence: 0.99, evidence: [] },
    model: { value: "WS-C3560", confidence: 0.8, evidence: [] },
    os: { value: "IOS", confidence: 0.9, evidence: [] },
    osVersion: { value: "12.2(55)SE", confidence: 0.9, evidence: [] },
    kind: { value: "switch", confidence: 0.925, evidence: [] },
  },
});

function run(over: Partial<DiscoveryRun> = {}): DiscoveryRun {
  return {
    id: RUN,
    startedAt: "2026-01-01T10:00:00Z",
    finishedAt: null,
    state: "running",
    request: {
      targets: ["127.1.8.0/24"],
      credentials: [],
      mode: "icmpThenSnmp",
      snmpWithoutPing: false,
      port: 161,
      force: false,
      timeoutMs: 1000,
      retries: 1,
      site: null,
      tags: [],
    },
    total: 254,
    probed: 0,
    found: 0,
    error: null,
    ...over,
  };
}

const names = new Map([["dev-1", "core1"]]);
const deviceName = (id: string): string | undefined => names.get(id);

describe("confidenceWord", () => {
  it("puts the classification's confidence in words", () => {
    expect([0.99, 0.8, 0.79, 0.5, 0.49, 0].map(confidenceWord)).toEqual(["high", "high", "medium", "medium", "low", "low"]);
  });
});

describe("requestFromForm", () => {
  it("splits targets on lines and commas, keeps ranges whole and drops blank communities", () => {
    expect(splitTargets(" 127.1.0.0/24,\n127.1.1.1 - 127.1.1.9 ; ::1\n\n")).toEqual([
      "127.1.0.0/24",
      "127.1.1.1-127.1.1.9",
      "::1",
    ]);
    const r = requestFromForm({ ...form, targets: "127.1.0.0/24\n127.1.2.1-9", communities: ["public", "", "lab"] });
    expect(r).toEqual({
      request: {
        targets: ["127.1.0.0/24", "127.1.2.1-9"],
        credentials: [],
        mode: "icmpThenSnmp",
        snmpWithoutPing: false,
        port: 161,
        force: false,
        timeoutMs: 1000,
        retries: 1,
        site: null,
        tags: [],
      },
      communities: ["public", "lab"],
    });
  });

  it("carries the site and tags the added devices get", () => {
    const r = requestFromForm({ ...form, targets: "127.0.0.1", communities: ["public"], site: "Lab <1>", tags: " found, rack-2 ,," });
    expect(r).toMatchObject({ request: { site: "Lab <1>", tags: ["found", "rack-2"] } });
  });

  it("reports empty targets, a bad port and SNMP without any credential, per field", () => {
    expect(requestFromForm({ ...form, targets: " \n, ", port: "70000" })).toEqual({
      errors: [
        { field: "targets", message: "give at least one CIDR, range or address" },
        { field: "port", message: "must be 1 to 65535" },
        { field: "credentials", message: "tick a saved credential or type a community, or choose ICMP only" },
      ],
    });
    expect(requestFromForm({ ...form, targets: "127.0.0.1", port: "1.5", mode: "nope" })).toMatchObject({
      errors: [{ field: "mode" }, { field: "port" }],
    });
  });

  it("needs no credential for ICMP only, takes saved ones by name and sends SNMP-without-ping only with ICMP then SNMP", () => {
    expect(requestFromForm({ ...form, targets: "127.0.0.1", mode: "icmpOnly", snmpWithoutPing: true, port: "" })).toMatchObject({
      request: { mode: "icmpOnly", snmpWithoutPing: false, port: 161 },
      communities: [],
    });
    expect(
      requestFromForm({ ...form, targets: "127.0.0.1", credentials: ["lab", "v3"], snmpWithoutPing: true, force: true, port: "1161" }),
    ).toMatchObject({ request: { credentials: ["lab", "v3"], snmpWithoutPing: true, force: true, port: 1161 } });
  });

  it("puts service errors next to the dialog's fields, and spots the size refusal that force lifts", () => {
    const tooBig = {
      kind: "validation" as const,
      detail: "invalid",
      fields: [
        {
          field: "targets",
          message: "131070 addresses requested, more than the limit of 65536; narrow the range, or force it (--force) to sweep up to 16777216",
        },
        { field: "community", message: "community 'x' is empty" },
        { field: "timeoutMs", message: "must be 1 to 30000" },
      ],
    };
    const m = discoveryFieldMessages(tooBig);
    expect(m.get("targets")?.[0]).toContain("65536");
    expect(m.get("communities")).toEqual(["community 'x' is empty"]);
    expect(m.get("")).toEqual(["timeoutMs: must be 1 to 30000"]);
    expect(wantsForce(tooBig)).toBe(true);
    expect(wantsForce({ ...tooBig, fields: [{ field: "targets", message: "more than the hard limit even with force" }] })).toBe(false);
    expect(discoveryFieldMessages({ kind: "network", detail: "no ICMP socket", fields: [] }).get("")).toEqual(["no ICMP socket"]);
  });
});

describe("progress", () => {
  it("shows probed of total per phase and the found count", () => {
    expect(progressView({ runId: RUN, phase: "sweep", probed: 64, total: 256, found: 3 })).toEqual({
      percent: 25,
      phase: "ICMP sweep",
      text: "ICMP sweep: 64 / 256 probed, 3 found",
    });
    expect(progressView({ runId: RUN, phase: "snmp", probed: 5, total: 5, found: 5 }).percent).toBe(100);
    expect(progressView({ runId: RUN, phase: "snmp", probed: 0, total: 0, found: 0 }).percent).toBe(0);
    expect(progressView({ runId: RUN, phase: "done", probed: 0, total: 0, found: 2 })).toMatchObject({
      percent: 100,
      text: "Done: 2 found",
    });
  });

  it("reads a stored run as progress, and says how it ended", () => {
    expect(progressOfRun(run({ probed: 10, found: 1 }))).toEqual({ runId: RUN, phase: "sweep", probed: 10, total: 254, found: 1 });
    expect(progressOfRun(run({ state: "cancelled" })).phase).toBe("done");
    expect(runSummary(run({ state: "completed", found: 4 }))).toBe("completed: 254 addresses, 4 found");
    expect(runSummary(run({ state: "failed", error: "no socket" }))).toBe("failed: 254 addresses, 0 found (no socket)");
  });

  it("formats elapsed time from the start, stopping at the finish", () => {
    const start = "2026-01-01T10:00:00Z";
    const t = Date.parse(start);
    expect(formatElapsed(start, t + 65_400)).toBe("1:05");
    expect(formatElapsed(start, t + 3_723_000)).toBe("1:02:03");
    expect(formatElapsed(start, t - 5_000)).toBe("0:00");
    expect(formatElapsed(start, t + 999_999, "2026-01-01T10:00:09Z")).toBe("0:09");
  });

  it("tells which run a discovery event is about, and ignores other events", () => {
    const progress: CoreEvent = { type: "discoveryProgress", progress: { runId: RUN, phase: "snmp", probed: 1, total: 2, found: 0 } };
    expect(discoveryEventRun(progress)).toBe(RUN);
    expect(discoveryEventRun({ type: "discoveryFound", device: found("127.0.0.1") })).toBe(RUN);
    expect(discoveryEventRun({ type: "discoveryFinished", run: run() })).toBe(RUN);
    expect(discoveryEventRun({ type: "inventoryChanged", entity: "device", id: "x", action: "added" })).toBeNull();
  });
});

describe("result rows", () => {
  it("shows what SNMP and classification said, with the type's confidence", () => {
    expect(resultRow(switchFound, deviceName)).toEqual({
      address: "127.1.8.1",
      otherAddresses: [],
      name: "sw-7",
      sysName: "sw-7.lab.example.net",
      vendor: "Cisco",
      kind: "switch",
      model: "WS-C3560",
      os: "IOS 12.2(55)SE",
      confidence: "93 % high",
      status: "new",
      note: "",
      selectable: true,
    });
    expect(resultRow(found("127.1.8.4"), deviceName)).toMatchObject({ kind: "ping only", vendor: "", confidence: "", selectable: true });
  });

  it("names the device a known responder already is, and an added one, and neither can be picked", () => {
    const known = resultRow(found("127.1.8.9", { existing: "dev-1", matchedBy: "sysName" }), deviceName);
    expect(known).toMatchObject({ status: "known", note: "already known as core1 (by sysName)", selectable: false });
    const unnamed = resultRow(found("127.1.8.9", { existing: "dev-2", matchedBy: "engineId" }), deviceName);
    expect(unnamed.note).toBe("already known as a device (by SNMP engine id)");
    const added = resultRow(found("127.1.8.2", { added: "dev-1" }), deviceName);
    expect(added).toMatchObject({ status: "added", note: "added as core1", selectable: false });
  });

  it("keeps streamed results unique by address, in numeric address order", () => {
    let list: FoundDevice[] = [];
    for (const a of ["127.1.8.10", "127.1.8.9", "::1", "127.1.8.100"]) list = mergeFound(list, found(a));
    list = mergeFound(list, found("127.1.8.9", { suggestedName: "again" }));
    expect(list.map((f) => f.address)).toEqual(["127.1.8.9", "127.1.8.10", "127.1.8.100", "::1"]);
    expect(list[0]?.suggestedName).toBe("again");
    expect(sortFound([found("10.0.0.2"), found("9.0.0.1")]).map((f) => f.address)).toEqual(["9.0.0.1", "10.0.0.2"]);
    expect(compareAddresses("fe80::1", "::1")).toBeGreaterThan(0);
  });
});

describe("selection", () => {
  const rows = [
    resultRow(found("127.1.8.1"), deviceName),
    resultRow(found("127.1.8.2", { existing: "dev-1", matchedBy: "address" }), deviceName),
    resultRow(found("127.1.8.3"), deviceName),
  ];

  it("starts with every new responder picked and never picks a known one", () => {
    const sel = defaultSelection(rows);
    expect([...sel]).toEqual(["127.1.8.1", "127.1.8.3"]);
    expect(selectionState(sel, rows)).toBe("all");
    expect(toggleRow(sel, rows, "127.1.8.2").has("127.1.8.2")).toBe(false);
    expect(toggleRow(new Set(), rows, "127.9.9.9").size).toBe(0);
  });

  it("toggles rows and all rows, and sends the picked ones in row order", () => {
    let sel = toggleRow(defaultSelection(rows), rows, "127.1.8.1");
    expect(selectionState(sel, rows)).toBe("some");
    sel = toggleRow(sel, rows, "127.1.8.1");
    expect(selectedAddresses(sel, rows)).toEqual(["127.1.8.1", "127.1.8.3"]);
    expect(selectionState(selectAll(rows, false), rows)).toBe("none");
    expect(selectAll(rows, true)).toEqual(defaultSelection(rows));
    // A stale pick of a row that became known is not sent.
    expect(selectedAddresses(new Set(["127.1.8.2", "127.1.8.3"]), rows)).toEqual(["127.1.8.3"]);
  });

  it("says what adding did per row", () => {
    expect(outcomeText({ added: "sw-7" })).toBe("added as sw-7");
    expect(outcomeText({ skipped: true })).toBe("already a device; not added again");
    expect(outcomeText({ error: "choose a saved credential for it" })).toBe("choose a saved credential for it");
  });
});

describe("dialog templates", () => {
  const box = (el: HTMLElement, address: string): HTMLInputElement | null =>
    el.querySelector<HTMLInputElement>(`input[data-address="${address}"]`);

  it("shows what agents and users named as text, and disables known rows and picking while running", () => {
    const evil = found("127.1.8.5", { suggestedName: "<img src=x onerror=alert(1)>" });
    const rows = [resultRow(evil, deviceName), resultRow(found("127.1.8.6", { existing: "dev-1" }), deviceName)];
    const done = toElement(resultsTable(rows, defaultSelection(rows), true));
    expect(done.querySelector("img")).toBeNull();
    expect(done.querySelector('tr[data-address="127.1.8.5"] td.name')?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect([box(done, "127.1.8.5")?.checked, box(done, "127.1.8.5")?.disabled]).toEqual([true, false]);
    expect(box(done, "127.1.8.6")?.disabled).toBe(true);
    expect(done.textContent).toContain("already known as core1");
    const running = toElement(resultsTable(rows, new Set(), false));
    expect(box(running, "127.1.8.5")?.disabled).toBe(true);
    const failed = toElement(resultsTable(rows, new Set(), true, new Map([["127.1.8.5", { error: "bad <credential>" }]])));
    const status = failed.querySelector('tr[data-address="127.1.8.5"] td.dd-row-error');
    expect(status?.textContent).toBe("bad <credential>");
    expect(toElement(resultsTable([], new Set(), true)).textContent).toContain("Nothing found yet");
  });

  it("lists past runs and saved credentials, as text", () => {
    const runs = toElement(runsList([run({ request: { ...run().request, targets: ["<b>"] } })], RUN, true));
    const button = runs.querySelector("button");
    expect(runs.querySelector("b")).toBeNull();
    expect(button?.textContent).toContain("<b>");
    expect(button?.textContent).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} — /);
    expect(button?.getAttribute("aria-current")).toBe("true");
    expect(button?.disabled).toBe(true);
    // Every run given is listed (the list scrolls), with where its devices went.
    const many = Array.from({ length: 60 }, (_, i) => run({ id: `run-${i}` }));
    many[0] = run({ id: "run-0", request: { ...run().request, site: "Lab", tags: ["found", "rack-2"] } });
    const list = toElement(runsList(many, null, false));
    expect(list.querySelectorAll("button.dd-run")).toHaveLength(60);
    expect(list.querySelector("button")?.textContent).toMatch(/ — site Lab, #found #rack-2$/);
    const creds = toElement(
      credentialChecks(
        [{ id: "c1", name: 'lab"x', version: "v2c", user: null, authProto: null, privProto: null, backend: "keyring", createdAt: "" }],
        new Set(['lab"x']),
      ),
    );
    const input = creds.querySelector<HTMLInputElement>("input[name=credential]");
    expect([input?.value, input?.checked]).toEqual(['lab"x', true]);
  });
});
