// The alarm drawer: a side panel beside the console (a bottom sheet on narrow
// windows, see console.css) with one alarm's detail (alarmdetail.ts). It
// keeps its own copy of the alarm, refreshed by the console when events
// change it, so it also shows cleared alarms from the history view.
import type { Alarm, AlarmId, DeviceId } from "./generated/bindings";
import { alarmDetail } from "./alarmdetail";
import { commentThread, type Thread } from "./alarmcomments";
import { alarmTimeline, type Timeline } from "./alarmtimeline";
import { api } from "./api";
import { toApiError } from "./apierror";
import { deviceHash } from "./devicehtml";
import { draw, html } from "./html";
import { focusDevice } from "./mapfocus";

export interface DrawerActions {
  ack(id: AlarmId, comment: string | null): Promise<void>;
  clear(id: AlarmId): Promise<void>;
  deviceName(id: DeviceId): string | undefined;
  /** The drawer opened or closed (the console marks the open row). */
  changed(open: AlarmId | null): void;
}

export class AlarmDrawer {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error: HTMLElement;
  private alarm: Alarm | null = null;
  private returnFocus: HTMLElement | null = null;
  private thread: Thread = { state: "loading" };
  private history: Timeline = { state: "loading" };
  private commentError = "";
  /** Which load is current: an answer for an alarm no longer shown is dropped. */
  private loadSeq = 0;

  constructor(host: HTMLElement, private readonly actions: DrawerActions) {
    this.el = document.createElement("aside");
    this.el.id = "alarm-drawer";
    this.el.className = "alarm-drawer";
    this.el.setAttribute("aria-labelledby", "alarm-drawer-title");
    this.el.hidden = true;
    this.body = document.createElement("div");
    this.body.className = "drawer-body";
    this.error = document.createElement("p");
    this.error.className = "console-error";
    this.error.setAttribute("role", "alert");
    this.el.append(this.error, this.body);
    host.append(this.el);
    this.el.addEventListener("click", (e) => this.onClick(e));
    this.el.addEventListener("submit", (e) => {
      e.preventDefault();
      if (e.target instanceof HTMLFormElement && e.target.dataset["drawer"] === "comment") void this.submitComment(e.target);
      else void this.submitAck(e.target);
    });
    this.el.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || this.alarm === null) return;
      // Only the drawer closes: on the device page, Escape would also leave the page.
      e.stopPropagation();
      this.close();
    });
  }

  /**
   * Moves the drawer into `host` (the console's section, or the device page's
   * alarms): one drawer, one acknowledge and comment path, wherever it shows.
   */
  mount(host: HTMLElement): void {
    if (this.el.parentElement !== host) host.append(this.el);
  }

  get openId(): AlarmId | null {
    return this.alarm?.id ?? null;
  }

  open(a: Alarm, from: HTMLElement | null): void {
    const was = this.alarm?.id;
    this.alarm = a;
    this.returnFocus = from;
    this.error.textContent = "";
    if (was !== a.id) {
      this.commentError = "";
      // Not the previous alarm's thread and history while this one's load.
      this.thread = { state: "loading" };
      this.history = { state: "loading" };
      void this.loadThread();
    }
    this.render();
    this.el.hidden = false;
    if (was !== a.id) {
      this.el.querySelector<HTMLElement>("[data-drawer=close]")?.focus();
      this.actions.changed(a.id);
    }
  }

  /** A newer copy of the open alarm (acknowledged, cleared): redraw with it. */
  refresh(a: Alarm | undefined): void {
    if (a === undefined || this.alarm === null || a.id !== this.alarm.id) return;
    const newer = a.version !== this.alarm.version;
    this.alarm = a;
    // An acknowledgement may have added a comment to the thread.
    if (newer) void this.loadThread();
    this.render();
  }

  close(): void {
    if (this.alarm === null) return;
    this.alarm = null;
    this.el.hidden = true;
    this.actions.changed(null);
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
  }

  private render(): void {
    const a = this.alarm;
    if (a === null) return;
    const name = a.deviceId === null ? undefined : this.actions.deviceName(a.deviceId);
    const link = (id: AlarmId) => html`<button type="button" class="link" data-drawer="alarm" data-id=${id}>that alarm</button>`;
    const more = html`${alarmTimeline(this.history, link)}${commentThread(a.id, this.thread, this.commentError)}`;
    draw(this.body, alarmDetail(a, { deviceName: name, nowMs: Date.now(), more }));
  }

  /** The comment thread and the history, loaded apart: one failing (a server without the history route) leaves the other. */
  private async loadThread(): Promise<void> {
    const a = this.alarm;
    if (a === null) return;
    const seq = ++this.loadSeq;
    if (this.thread.state !== "loaded") this.thread = { state: "loading" };
    if (this.history.state !== "loaded") this.history = { state: "loading" };
    const comments = api.showAlarm(a.id).then(
      ([, list]): Thread => ({ state: "loaded", comments: list }),
      (err: unknown): Thread => ({ state: "failed", message: toApiError(err).detail }),
    );
    const history = api.alarmTimeline(a.id).then(
      (entries): Timeline => ({ state: "loaded", entries }),
      (err: unknown): Timeline => ({ state: "failed", message: toApiError(err).detail }),
    );
    const [thread, timeline] = await Promise.all([comments, history]);
    if (seq !== this.loadSeq || this.alarm?.id !== a.id) return;
    this.thread = thread;
    this.history = timeline;
    this.render();
  }

  /** Another alarm of this one's history (its root cause, its other severity). */
  private async openOther(id: string, from: HTMLElement): Promise<void> {
    try {
      const [other] = await api.showAlarm(id);
      this.open(other, from);
    } catch (err) {
      this.error.textContent = toApiError(err).detail;
    }
  }

  private async submitComment(form: HTMLFormElement): Promise<void> {
    const id = form.dataset["id"];
    const input = form.querySelector("textarea");
    if (id === undefined || input === null) return;
    const text = input.value.trim();
    if (text === "") {
      this.commentError = "Write something first.";
      this.render();
      input.focus();
      return;
    }
    try {
      const note = await api.commentAlarm(id, text);
      if (this.alarm?.id !== id) return;
      input.value = "";
      this.commentError = "";
      const before = this.thread.state === "loaded" ? this.thread.comments : [];
      this.thread = { state: "loaded", comments: [...before, note] };
      // The history lists comments too.
      void this.loadThread();
    } catch (err) {
      const e = toApiError(err);
      this.commentError = e.fields[0]?.message ?? e.detail;
    }
    this.render();
  }

  private onClick(e: MouseEvent): void {
    const b = e.target instanceof Element ? e.target.closest("button[data-drawer]") : null;
    if (!(b instanceof HTMLButtonElement)) return;
    const device = b.dataset["device"];
    switch (b.dataset["drawer"]) {
      case "close":
        this.close();
        break;
      case "device":
        if (device !== undefined) window.location.hash = deviceHash(device);
        break;
      case "map":
        if (device !== undefined && !focusDevice(device)) this.error.textContent = "This device has no place on the map.";
        break;
      case "alarm": {
        const id = b.dataset["id"];
        if (id !== undefined) void this.openOther(id, b);
        break;
      }
      case "clear": {
        const id = b.dataset["id"];
        if (id !== undefined) void this.run(() => this.actions.clear(id));
        break;
      }
    }
  }

  private async submitAck(form: EventTarget | null): Promise<void> {
    if (!(form instanceof HTMLFormElement)) return;
    const id = form.dataset["id"];
    const input = form.querySelector("input");
    if (id === undefined || input === null) return;
    const comment = input.value.trim();
    await this.run(() => this.actions.ack(id, comment === "" ? null : comment));
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.error.textContent = "";
    try {
      await action();
    } catch (err) {
      this.error.textContent = err instanceof Error ? err.message : String(err);
    }
  }
}
