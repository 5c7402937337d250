// @vitest-environment jsdom
// Editing a schedule from the Schedules table, and the run log beside it.
import { afterEach, describe, expect, it } from "vitest";
import type { ReportSchedule, ScheduleRun } from "./generated/bindings";
import { tauriTransport, useTransport } from "./api";
import { toElement } from "./html";
import { runsTable } from "./reportruns";
import { ReportSchedules, scheduleFormValues, scheduleInput } from "./reportschedules";

function schedule(over: Partial<ReportSchedule>): ReportSchedule {
  return {
    name: "daily-hq",
    cadence: "daily",
    kind: "top",
    site: null,
    tag: "core",
    device: null,
    topN: 5,
    formats: ["csv"],
    folder: "/srv/reports",
    channel: "ops-mail",
    recipients: ["boss@example.com", "ops@example.com"],
    enabled: false,
    createdAt: "2026-12-01T09:00:00Z",
    lastPeriodTo: "2026-12-02T00:00:00Z",
    lastRunAt: "2026-12-02T00:01:00Z",
    nextDue: "2026-12-03T00:00:00Z",
    lastOk: true,
    lastError: null,
    ...over,
  };
}

const period = { from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z" };
const okRun: ScheduleRun = {
  schedule: "daily-hq",
  at: "2026-12-02T00:01:00Z",
  period,
  ok: true,
  files: ["/srv/reports/daily-hq-2026-12-01.pdf", "/srv/reports/daily-hq-2026-12-01.csv"],
  mailed: null,
  error: null,
};
const failedRun: ScheduleRun = { ...okRun, schedule: "broken", ok: false, files: [], error: "folder /x does not exist" };

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

interface Call {
  command: string;
  args: Record<string, unknown>;
}

/** A Schedules section over a fake service holding `list`; `update` answers update_report_schedule. */
async function mount(list: ReportSchedule[], update: (args: Record<string, unknown>) => unknown = () => list[0]) {
  const calls: Call[] = [];
  useTransport({
    call: async (command, args) => {
      calls.push({ command, args });
      if (command === "list_report_schedules") return list;
      if (command === "report_schedule_runs") return args["name"] === "daily-hq" ? [okRun] : [okRun, failedRun];
      if (command === "update_report_schedule") return update(args);
      if (command === "add_report_schedule") return list[0];
      throw new Error(`unexpected ${command}`);
    },
    subscribe: async () => () => undefined,
  });
  const host = document.createElement("section");
  document.body.append(host);
  const section = new ReportSchedules(host);
  await section.load();
  const form = host.querySelector("form");
  if (form === null) throw new Error("no form");
  const field = (name: string): HTMLInputElement => form.elements.namedItem(name) as HTMLInputElement;
  const click = (css: string): void => host.querySelector<HTMLButtonElement>(css)?.click();
  return { calls, host, form, field, click };
}

afterEach(() => {
  useTransport(tauriTransport);
  document.body.replaceChildren();
});

describe("editing a report schedule", () => {
  it("gives back the input it was made from, top N and enabled included", () => {
    const s = schedule({});
    const v = scheduleFormValues(s);
    expect(v).toMatchObject({ scope: "tag", target: "core", pdf: false, csv: true, recipients: "boss@example.com, ops@example.com" });
    const { createdAt: _c, lastPeriodTo: _l, lastRunAt: _r, nextDue: _n, lastOk: _o, lastError: _e, ...input } = s;
    expect(scheduleInput(v)).toEqual(input);
    expect(scheduleFormValues(schedule({ tag: null }))).toMatchObject({ scope: "all", target: "" });
  });

  it("fills the form from the row's Edit, saves through update, then returns to adding", async () => {
    const saved = schedule({ name: "weekly-hq", cadence: "weekly" });
    const { calls, host, form, field, click } = await mount([schedule({})], () => saved);
    click("[data-schedule-edit=daily-hq]");
    expect([field("name").value, field("scope").value, field("target").value, field("folder").value]).toEqual(["daily-hq", "tag", "core", "/srv/reports"]);
    expect([field("pdf").checked, field("csv").checked, field("enabled").checked]).toEqual([false, true, false]);
    expect(field("recipients").value).toBe("boss@example.com, ops@example.com");
    const save = host.querySelector<HTMLButtonElement>("[data-schedule-save]");
    const cancel = host.querySelector<HTMLButtonElement>("[data-schedule-cancel]");
    expect(save?.textContent).toBe("Save changes to daily-hq");
    expect(cancel?.hidden).toBe(false);

    field("name").value = "weekly-hq";
    field("cadence").value = "weekly";
    form.requestSubmit();
    await flush();
    const update = calls.find((c) => c.command === "update_report_schedule");
    expect(update?.args["name"]).toBe("daily-hq");
    expect(update?.args["input"]).toMatchObject({ name: "weekly-hq", cadence: "weekly", tag: "core", topN: 5, enabled: false, formats: ["csv"] });
    expect(calls.some((c) => c.command === "add_report_schedule")).toBe(false);
    expect(host.textContent).toContain("Saved weekly-hq");
    expect(save?.textContent).toBe("Add schedule");
    expect(cancel?.hidden).toBe(true);
    expect(field("name").value).toBe("");
  });

  it("shows a refused edit's errors and stays in edit mode; Cancel returns to adding", async () => {
    const { calls, host, form, field, click } = await mount([schedule({}), schedule({ name: "other" })], () => {
      throw { kind: "validation", detail: "invalid", fields: [{ field: "name", message: "report schedule 'other' already exists" }] };
    });
    click("[data-schedule-edit=daily-hq]");
    field("name").value = "other";
    form.requestSubmit();
    await flush();
    expect(host.querySelector("[data-error-for=name]")?.textContent).toContain("already exists");
    expect(host.querySelector("[data-schedule-save]")?.textContent).toBe("Save changes to daily-hq");
    click("[data-schedule-cancel]");
    expect(host.querySelector("[data-schedule-save]")?.textContent).toBe("Add schedule");
    expect(host.querySelector("[data-error-for=name]")?.textContent).toBe("");
    expect([field("name").value, field("pdf").checked, field("enabled").checked]).toEqual(["", true, true]);
    field("name").value = "new-one";
    field("folder").value = "/srv/reports";
    form.requestSubmit();
    await flush();
    expect(calls.filter((c) => c.command === "update_report_schedule")).toHaveLength(1);
    expect(calls.find((c) => c.command === "add_report_schedule")?.args["input"]).toMatchObject({ name: "new-one", topN: null, enabled: true });
  });
});

describe("the run log", () => {
  it("lists when, which schedule, the outcome, the files and the error", () => {
    const el = toElement(runsTable([okRun, failedRun], null));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows).toHaveLength(2);
    const cells = (i: number): string[] => [...(rows[i]?.querySelectorAll("td") ?? [])].map((c) => c.textContent?.trim() ?? "");
    expect(cells(0).slice(0, 4)).toEqual(["2026-12-02 00:01 UTC", "daily-hq", "2026-12-01 00:00 – 2026-12-02 00:00", "ok"]);
    expect(cells(0)[4]).toContain("/srv/reports/daily-hq-2026-12-01.csv");
    expect(cells(1)[3]).toBe("failed");
    expect(cells(1)[4]).toBe("none");
    expect(cells(1)[5]).toBe("folder /x does not exist");
    expect(toElement(runsTable([], "daily-hq")).textContent).toContain("daily-hq has not run yet");
  });

  it("shows every schedule's runs, one schedule's after its Runs button, and all again", async () => {
    const { calls, host, click } = await mount([schedule({})]);
    const runsCalls = (): unknown[] => calls.filter((c) => c.command === "report_schedule_runs").map((c) => c.args["name"]);
    expect(runsCalls()).toEqual([null]);
    expect(host.querySelectorAll("#schedule-runs tbody tr")).toHaveLength(2);
    expect(host.querySelector("#schedule-runs-title")?.textContent).toBe("Runs: all schedules");
    click("[data-schedule-runs=daily-hq]");
    await flush();
    expect(runsCalls()).toEqual([null, "daily-hq"]);
    expect(host.querySelector("#schedule-runs-title")?.textContent).toBe("Runs: daily-hq");
    expect(host.querySelectorAll("#schedule-runs tbody tr")).toHaveLength(1);
    click("[data-runs-all]");
    await flush();
    expect(runsCalls()).toEqual([null, "daily-hq", null]);
    expect(host.querySelector<HTMLButtonElement>("[data-runs-all]")?.hidden).toBe(true);
  });
});
