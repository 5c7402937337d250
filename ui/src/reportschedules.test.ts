// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import type { ReportSchedule } from "./generated/bindings";
import { tauriTransport, useTransport } from "./api";
import { toElement } from "./html";
import { formField, ReportSchedules, runText, scheduleInput, schedulesTable } from "./reportschedules";

function schedule(over: Partial<ReportSchedule>): ReportSchedule {
  return {
    name: "daily-hq",
    cadence: "daily",
    kind: "availability",
    site: "HQ",
    tag: null,
    device: null,
    topN: null,
    formats: ["pdf", "csv"],
    folder: "/srv/reports",
    channel: null,
    recipients: [],
    enabled: true,
    createdAt: "2026-12-01T09:00:00Z",
    lastPeriodTo: null,
    lastRunAt: null,
    nextDue: "2026-12-02T00:00:00Z",
    lastOk: null,
    lastError: null,
    ...over,
  };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  useTransport(tauriTransport);
  document.body.replaceChildren();
});

describe("report schedules", () => {
  it("builds the input from the form: scope, formats, channel and recipients", () => {
    const input = scheduleInput({
      name: " weekly-core ",
      kind: "top",
      cadence: "weekly",
      scope: "tag",
      target: " core ",
      pdf: true,
      csv: true,
      folder: " /srv/reports ",
      channel: "ops-mail",
      recipients: "boss@example.com, noc@example.com;ops@example.com",
    });
    expect(input).toMatchObject({ name: "weekly-core", site: null, tag: "core", device: null, folder: "/srv/reports" });
    expect(input.formats).toEqual(["pdf", "csv"]);
    expect(input.recipients).toEqual(["boss@example.com", "noc@example.com", "ops@example.com"]);
    const bare = scheduleInput({ ...{ name: "x", kind: "alarms", cadence: "monthly", scope: "all", target: "HQ" }, pdf: false, csv: false, folder: "", channel: " ", recipients: "" });
    expect(bare).toMatchObject({ site: null, channel: null, recipients: [], formats: [] });
    expect([formField("site"), formField("device"), formField("folder")]).toEqual(["target", "target", "folder"]);
  });

  it("lists next run and last result, with Run now and Remove per row", () => {
    const ok = schedule({ lastOk: true, lastRunAt: "2026-12-02T00:01:00Z", channel: "ops-mail" });
    const failed = schedule({ name: "broken", site: null, lastOk: false, lastError: "folder /x does not exist" });
    const off = schedule({ name: "off", enabled: false });
    const el = toElement(schedulesTable([ok, failed, off]));
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toContain("2026-12-02 00:00 UTC");
    expect(rows[0]?.textContent).toContain("ok");
    expect(rows[0]?.textContent).toContain("mailed via ops-mail");
    expect(rows[1]?.textContent).toContain("failed");
    expect(rows[1]?.textContent).toContain("folder /x does not exist");
    expect(rows[1]?.textContent).toContain("all devices");
    expect(rows[2]?.textContent).toContain("disabled");
    expect(rows[0]?.querySelector("[data-schedule-run]")?.getAttribute("data-schedule-run")).toBe("daily-hq");
    expect(rows[1]?.querySelector("[data-schedule-remove]")?.getAttribute("data-schedule-remove")).toBe("broken");
    expect(toElement(schedulesTable([])).textContent).toContain("No schedules");
  });

  it("says what a run did", () => {
    const period = { from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z" };
    const base = { schedule: "daily-hq", at: "2026-12-02T00:01:00Z", period, files: ["/srv/a.pdf"], mailed: null, error: null };
    expect(runText({ ...base, ok: true, mailed: "SMTP 250" })).toBe("daily-hq: wrote /srv/a.pdf, mailed (SMTP 250)");
    expect(runText({ ...base, ok: false, files: [], error: "folder missing" })).toBe("daily-hq failed: folder missing");
  });

  it("shows the service's field errors beside their boxes and adds nothing", async () => {
    const calls: string[] = [];
    useTransport({
      call: async (command, args) => {
        calls.push(command);
        if (command === "list_report_schedules" || command === "report_schedule_runs") return [];
        if (command === "add_report_schedule") {
          expect(args["input"]).toMatchObject({ folder: "relative", site: "Nowhere" });
          throw {
            kind: "validation",
            detail: "invalid",
            fields: [
              { field: "folder", message: "must be an absolute directory path" },
              { field: "site", message: "site 'Nowhere' does not exist" },
            ],
          };
        }
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
    const set = (name: string, value: string): void => {
      const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
      el.value = value;
    };
    set("name", "daily");
    set("scope", "site");
    set("target", "Nowhere");
    set("folder", "relative");
    form.requestSubmit();
    await flush();
    await flush();
    expect(host.querySelector("[data-error-for=folder]")?.textContent).toContain("absolute");
    expect(host.querySelector("[data-error-for=target]")?.textContent).toContain("Nowhere");
    expect(calls).toEqual(["list_report_schedules", "report_schedule_runs", "add_report_schedule"]);
    expect(host.textContent).toContain("No schedules");
  });
});
