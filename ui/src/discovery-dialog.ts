// The discovery dialog on the page: start a run, follow it through the
// forwarded discovery events, cancel it, review what it found and add the
// picked devices. The rules live in discovery.ts; this file moves values
// between them, the page and the shell's commands. A run outlives the
// dialog: closing it (Escape) leaves the run going, and reopening shows it.
import { api } from "./api";
import type { CoreEvent, CredentialSummary, DeviceId, DiscoveryProgress, DiscoveryRun, FoundDevice } from "./generated/bindings";
import { toApiError } from "./apierror";
import type { AddOutcome, ResultRow } from "./discovery";
import { defaultSelection, discoveryEventRun, discoveryFieldMessages, formatElapsed, progressOfRun } from "./discovery";
import { mergeFound, progressView, requestFromForm, resultRow, runSummary, selectAll } from "./discovery";
import { selectedAddresses, sortFound, toggleRow, wantsForce } from "./discovery";
import { DiscoveryForm } from "./discovery-form";
import { credentialChecks, credentialChoices, resultsTable, runsList } from "./discovery-html";
import { draw as drawInto } from "./html";
import { element } from "./formdom";
import { siteOptions } from "./siteforms";

const RUNS_SHOWN = 200;
/** Redraws are spaced out: found devices can stream in by the hundred, and a repaint is what costs. */
const REDRAW_MS = 200;

let ui: ReturnType<typeof elements> | null = null;
let form: DiscoveryForm | null = null;
let deviceName: (id: DeviceId) => string | undefined = () => undefined;
let run: DiscoveryRun | null = null;
let progress: DiscoveryProgress | null = null;
let found: FoundDevice[] = [];
let selection = new Set<string>();
let outcomes = new Map<string, AddOutcome>();
let adding = false;
let creds: CredentialSummary[] = [];
let runs: DiscoveryRun[] = [];
/** Events that arrive while start_discovery is answering; replayed for the new run. */
let pending: CoreEvent[] | null = null;
/** Ad-hoc communities of the runs started here, in memory only, for adding their devices. */
const communitiesByRun = new Map<string, string[]>();
let adopting = false;
let timer = 0;
let ticker = 0;

function elements() {
  return {
    dialog: element<HTMLDialogElement>("discovery-dialog"),
    start: element<HTMLButtonElement>("dd-start"),
    creds: element("dd-credentials"),
    running: element("dd-running"),
    bar: element<HTMLProgressElement>("dd-progress"),
    progressText: element("dd-progress-text"),
    elapsed: element("dd-elapsed"),
    cancel: element<HTMLButtonElement>("dd-cancel"),
    runError: element("dd-run-error"),
    summary: element("dd-summary"),
    addCredential: element<HTMLSelectElement>("dd-add-credential"),
    add: element<HTMLButtonElement>("dd-add"),
    addStatus: element("dd-add-status"),
    results: element("dd-results"),
    runs: element("dd-runs"),
  };
}

const isRunning = (): boolean => run?.state === "running";

function rows(): ResultRow[] {
  return found.map((f) => resultRow(f, deviceName));
}

function schedule(): void {
  if (timer !== 0) return;
  timer = window.setTimeout(() => {
    timer = 0;
    draw();
  }, REDRAW_MS);
}

/** Draws the whole dialog from the state above; nothing while it is shut (opening draws). */
function draw(): void {
  if (ui === null || !ui.dialog.open) return;
  const running = isRunning();
  ui.running.hidden = run === null;
  ui.cancel.hidden = !running;
  if (run !== null) {
    const p = progressView(progress ?? progressOfRun(run));
    ui.bar.value = p.percent;
    ui.bar.setAttribute("aria-valuetext", p.text);
    ui.progressText.textContent = p.text;
    ui.elapsed.textContent = formatElapsed(run.startedAt, Date.now(), run.finishedAt);
  }
  ui.start.disabled = running || pending !== null;
  const r = rows();
  const pickable = run !== null && !running && !adding;
  drawInto(ui.results, resultsTable(r, selection, pickable, outcomes));
  ui.summary.textContent = run === null ? "" : running ? `Run ${run.id.slice(-8)} running…` : runSummary(run);
  ui.add.disabled = !pickable || selectedAddresses(selection, r).length === 0;
  drawInto(ui.runs, runsList(runs, run?.id ?? null, running || adding));
  if (running && ticker === 0) ticker = window.setInterval(tickElapsed, 1000);
  else if (!running) stopTicker();
}

function stopTicker(): void {
  window.clearInterval(ticker);
  ticker = 0;
}

/** The elapsed time moves every second, between progress events too. */
function tickElapsed(): void {
  if (ui !== null && run !== null) ui.elapsed.textContent = formatElapsed(run.startedAt, Date.now(), run.finishedAt);
}

async function loadLists(): Promise<void> {
  if (ui === null) return;
  const u = ui;
  const ticked = form?.tickedCredentials() ?? new Set<string>();
  try {
    creds = await api.listCredentials();
    const chosen = u.addCredential.value;
    drawInto(u.creds, credentialChecks(creds, ticked));
    drawInto(u.addCredential, credentialChoices(creds, chosen));
    u.addCredential.value = creds.some((c) => c.name === chosen) ? chosen : "";
  } catch (err) {
    drawInto(u.creds, `Saved credentials unavailable: ${toApiError(err).detail}`);
  }
  try {
    const site = element<HTMLSelectElement>("dd-site");
    drawInto(site, siteOptions(await api.listSites(), site.value));
  } catch (err) {
    u.runError.textContent = toApiError(err).detail;
  }
  try {
    runs = await api.discoveryRuns(RUNS_SHOWN);
  } catch (err) {
    u.runError.textContent = toApiError(err).detail;
  }
  schedule();
}

/** Shows a stored run and its results (a past run, or one found running after a reload). */
async function openRun(id: string): Promise<void> {
  const list = await api.discoveryRuns(RUNS_SHOWN);
  runs = list;
  const r = list.find((x) => x.id === id);
  if (r === undefined) return;
  const results = await api.discoveryResults(id);
  run = r;
  progress = progressOfRun(r);
  found = sortFound(results);
  outcomes = new Map();
  selection = r.state === "running" ? new Set() : defaultSelection(rows());
  schedule();
}

async function finish(done: DiscoveryRun): Promise<void> {
  run = done;
  progress = progressOfRun(done);
  if (ui !== null) ui.runError.textContent = "";
  try {
    // The stored results are the final word: the run folds one agent's addresses into one row.
    const results = await api.discoveryResults(done.id);
    found = sortFound(results);
  } catch (err) {
    if (ui !== null) ui.runError.textContent = toApiError(err).detail;
  }
  selection = defaultSelection(rows());
  void loadLists();
  schedule();
}

/** Discovery events from `core-event`; every other event is ignored. */
export function discoveryEvent(ev: CoreEvent): void {
  const id = discoveryEventRun(ev);
  if (id === null) return;
  if (pending !== null) {
    pending.push(ev);
    return;
  }
  if (run === null || (run.id !== id && !isRunning() && !adding)) {
    // A run this page did not start (the window reloaded mid-run): follow it.
    if (ev.type === "discoveryProgress" && !adopting) {
      adopting = true;
      void openRun(id)
        .catch(() => undefined)
        .finally(() => (adopting = false));
    }
    return;
  }
  if (run.id !== id) return;
  if (ev.type === "discoveryProgress") progress = ev.progress;
  else if (ev.type === "discoveryFound") found = mergeFound(found, ev.device);
  else if (ev.type === "discoveryFinished") void finish(ev.run);
  schedule();
}

async function startRun(): Promise<void> {
  if (ui === null || form === null || isRunning() || pending !== null) return;
  const f = form;
  const parsed = requestFromForm(f.values());
  if ("errors" in parsed) {
    f.showErrors(discoveryFieldMessages({ kind: "validation", detail: "", fields: parsed.errors }));
    return;
  }
  pending = [];
  schedule();
  let replay: CoreEvent[] = [];
  try {
    const started = await api.startDiscovery(parsed.request, parsed.communities);
    f.clearCommunities();
    if (parsed.communities.length > 0) communitiesByRun.set(started.id, parsed.communities);
    run = started;
    progress = progressOfRun(started);
    found = [];
    selection = new Set();
    outcomes = new Map();
    ui.runError.textContent = "";
    ui.addStatus.textContent = "";
    f.showErrors(new Map());
    replay = pending;
  } catch (err) {
    const e = toApiError(err);
    const messages = discoveryFieldMessages(e);
    if (wantsForce(e)) messages.set("force", ["tick this to probe more than 65,536 addresses"]);
    f.showErrors(messages);
  } finally {
    pending = null;
  }
  for (const ev of replay) discoveryEvent(ev);
  void loadLists();
  schedule();
}

async function addSelected(): Promise<void> {
  if (ui === null || run === null || adding) return;
  const u = ui;
  const id = run.id;
  const picked = selectedAddresses(selection, rows());
  if (picked.length === 0) return;
  adding = true;
  const credential = u.addCredential.value === "" ? null : u.addCredential.value;
  const communities = communitiesByRun.get(id) ?? [];
  let ok = 0;
  // One address per call, so each row gets its own outcome and one failure stops nothing else.
  for (const [i, address] of picked.entries()) {
    u.addStatus.textContent = `Adding ${i + 1} of ${picked.length}…`;
    try {
      const added = await api.addDiscovered(id, [address], credential, communities);
      const d = added[0];
      outcomes.set(address, d === undefined ? { skipped: true } : { added: d.name });
      if (d !== undefined) ok += 1;
    } catch (err) {
      const e = toApiError(err);
      outcomes.set(address, { error: e.fields.length > 0 ? e.fields.map((f) => f.message).join("; ") : e.detail });
    }
    schedule();
  }
  try {
    const results = await api.discoveryResults(id);
    if (run?.id === id) found = sortFound(results);
  } catch {
    // The outcomes above already say what happened; the next open reloads.
  }
  // What failed stays picked, to retry (say with another credential).
  selection = new Set(picked.filter((a) => "error" in (outcomes.get(a) ?? {})));
  const failed = selection.size;
  u.addStatus.textContent = `${ok} added${failed > 0 ? `, ${failed} failed (see the rows)` : ""}`;
  adding = false;
  schedule();
}

function open(): void {
  if (ui === null) return;
  if (!ui.dialog.open) ui.dialog.showModal();
  (isRunning() ? ui.cancel : element("dd-targets")).focus();
  // A running run is read again in case events were lost while the dialog was shut.
  if (run !== null && isRunning()) void openRun(run.id).catch(() => undefined);
  void loadLists();
  schedule();
}

export function setupDiscovery(opts: { deviceName: (id: DeviceId) => string | undefined }): void {
  const u = elements();
  ui = u;
  form = new DiscoveryForm(element<HTMLFormElement>("discovery-form"), element("dd-communities"));
  deviceName = opts.deviceName;
  element("discover-button").addEventListener("click", open);
  element("dd-close").addEventListener("click", () => u.dialog.close());
  u.dialog.addEventListener("close", stopTicker);
  form.form.addEventListener("submit", (e) => {
    e.preventDefault();
    void startRun();
  });
  u.cancel.addEventListener("click", () => {
    if (run === null) return;
    u.cancel.disabled = true;
    void api.cancelDiscovery(run.id)
      .then(() => (u.runError.textContent = "cancelling…"))
      .catch((err: unknown) => (u.runError.textContent = toApiError(err).detail))
      .finally(() => (u.cancel.disabled = false));
  });
  u.add.addEventListener("click", () => void addSelected());
  u.results.addEventListener("change", (e) => {
    const box = e.target;
    const a = box instanceof HTMLInputElement ? box.dataset["address"] : undefined;
    if (a === undefined || !(box instanceof HTMLInputElement)) return;
    selection = a === "*" ? selectAll(rows(), box.checked) : toggleRow(selection, rows(), a);
    schedule();
  });
  u.runs.addEventListener("click", (e) => {
    const b = e.target instanceof Element ? e.target.closest("button[data-run]") : null;
    const id = b instanceof HTMLButtonElement ? b.dataset["run"] : undefined;
    if (id === undefined || isRunning() || adding) return;
    void openRun(id).catch((err: unknown) => (u.runError.textContent = toApiError(err).detail));
  });
}
