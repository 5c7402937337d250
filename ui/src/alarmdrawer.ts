// The alarm drawer: a side panel beside the console (a bottom sheet on narrow
// windows, see console.css) with one alarm's detail (alarmdetail.ts). It
// keeps its own copy of the alarm, refreshed by the console when events
// change it, so it also shows cleared alarms from the history view.
import type { Alarm, AlarmId, DeviceId } from "./generated/bindings";
import { alarmDetail } from "./alarmdetail";
import { commentThread, type Thread } from "./alarmcomments";
import { api } from "./api";
import { toApiError } from "./apierror";
import { deviceHash } from "./devicehtml";
import { draw } from "./html";
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
    const more = commentThread(a.id, this.thread, this.commentError);
    draw(this.body, alarmDetail(a, { deviceName: name, nowMs: Date.now(), more }));
  }

  private async loadThread(): Promise<void> {
    const a = this.alarm;
    if (a === null) return;
    const seq = ++this.loadSeq;
    if (this.thread.state !== "loaded") this.thread = { state: "loading" };
    let next: Thread;
    try {
      const [, comments] = await api.showAlarm(a.id);
      next = { state: "loaded", comments };
    } catch (err) {
      next = { state: "failed", message: toApiError(err).detail };
    }
    if (seq !== this.loadSeq || this.alarm?.id !== a.id) return;
    this.thread = next;
    this.render();
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
