// The Notifications screen (issue 13, item 7): channels with Send test,
// routes, the notification delay, and the delivery log (deliverylogview.ts).
// Each form shows every field error at once (its own hints with the
// service's, notifyform.ts maps the names). Nothing loads until the tab is
// first shown, so the first paint does not wait for it.
import type { ChannelView, FieldError, RouteView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { DeliveryLogView } from "./deliverylogview";
import { watchFieldErrors } from "./fieldwatch";
import { busy, clearFieldErrors, confirmInPage, element, formChecked, formValue, setFormValue, showApiError } from "./formdom";
import { formMode, listAction, listWrite } from "./listscreen";
import { formatDuration } from "./format";
import { draw, nothing } from "./html";
import { validationError } from "./inventory";
import { channelOptions, channelsTable, routesTable } from "./notifylist";
import {
  CHANNEL_FIELDS,
  channelValuesOf,
  deliveryText,
  hasStoredSecret,
  notifyFormErrors,
  parseChannelForm,
  parseDelay,
  parseRouteForm,
  ROUTE_FIELDS,
  routeValuesOf,
  type ChannelFormValues,
  type RouteFormValues,
} from "./notifyform";

type Entity = "channel" | "route";

const SENDING = "sending…";

export class NotificationsScreen {
  private readonly channelForm = element<HTMLFormElement>("channel-form");
  private readonly routeForm = element<HTMLFormElement>("route-form");
  private readonly delayForm = element<HTMLFormElement>("delay-form");
  private readonly channelsBody = element("channels-body");
  private readonly routesBody = element("routes-body");
  private readonly listError = element("notify-error");
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  private readonly log = new DeliveryLogView();
  private channels: ChannelView[] = [];
  private routes: RouteView[] = [];
  private readonly tests = new Map<string, { ok: boolean; text: string }>();
  private editing: { channel: ChannelView | null; route: RouteView | null } = { channel: null, route: null };
  private loaded = false;

  constructor() {
    watchFieldErrors(this.channelForm);
    watchFieldErrors(this.routeForm);
    this.channelForm.addEventListener("change", (e) => {
      if (e.target instanceof HTMLSelectElement && e.target.name === "kind") this.showKind();
    });
    this.channelForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitChannel();
    });
    this.routeForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitRoute();
    });
    this.delayForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitDelay();
    });
    element("channel-cancel").addEventListener("click", () => this.resetChannel());
    element("route-cancel").addEventListener("click", () => this.resetRoute());
    this.channelsBody.addEventListener("click", (e) => this.onListClick(e));
    this.routesBody.addEventListener("click", (e) => this.onListClick(e));
    this.showKind();
  }

  async show(): Promise<void> {
    if (!this.loaded) await Promise.all([this.load(), this.loadDelay()]);
    this.log.show(this.channels);
  }

  /** The tab was left: the log stops refreshing itself. */
  hide(): void {
    this.log.hide();
  }

  private async load(): Promise<void> {
    try {
      [this.channels, this.routes] = await Promise.all([api.listChannels(), api.listRoutes()]);
      this.loaded = true;
      draw(this.listError, nothing);
      this.render();
    } catch (err) {
      draw(this.listError, toApiError(err).detail);
    }
  }

  private render(): void {
    draw(this.channelsBody, channelsTable(this.channels, this.tests));
    draw(this.routesBody, routesTable(this.routes));
    // A picker keeps its choice across a redraw when the channel still exists.
    for (const [name, none] of [["channel", null], ["escalateChannel", "no escalation"]] as const) {
      const select = this.routeForm.elements.namedItem(name);
      if (!(select instanceof HTMLSelectElement)) continue;
      const kept = select.value;
      draw(select, channelOptions(this.channels, none));
      select.value = kept;
    }
    this.log.setChannels(this.channels);
  }

  private async loadDelay(): Promise<void> {
    try {
      const s = await api.notificationSettings();
      this.showDelay(s.delaySecs);
    } catch (err) {
      showApiError(this.delayForm, toApiError(err), ["delaySecs"]);
    }
  }

  private showDelay(secs: number): void {
    setFormValue(this.delayForm, "delaySecs", String(secs));
    element("delay-now").textContent = secs === 0 ? "now: at once" : `now: ${formatDuration(secs * 1000)}`;
  }

  private async submitDelay(): Promise<void> {
    await busy(this.delayForm, async () => {
      const secs = parseDelay(formValue(this.delayForm, "delaySecs"));
      if (typeof secs === "string") {
        showApiError(this.delayForm, validationError([{ field: "delaySecs", message: secs }]), ["delaySecs"]);
        return;
      }
      try {
        const s = await api.setNotificationDelay(secs);
        clearFieldErrors(this.delayForm);
        this.showDelay(s.delaySecs);
      } catch (err) {
        showApiError(this.delayForm, notifyFormErrors(toApiError(err)), ["delaySecs"]);
      }
    });
  }

  private showKind(): void {
    const kind = formValue(this.channelForm, "kind");
    for (const el of this.channelForm.querySelectorAll<HTMLElement>("[data-kind]")) el.hidden = el.dataset["kind"] !== kind;
  }

  private channelValues(): ChannelFormValues {
    const v = (n: string): string => formValue(this.channelForm, n);
    const values = Object.fromEntries(CHANNEL_FIELDS.map((f) => [f, v(f)]));
    return { ...(values as Omit<ChannelFormValues, "enabled">), enabled: formChecked(this.channelForm, "enabled") };
  }

  private routeValues(): RouteFormValues {
    const v = (n: string): string => formValue(this.routeForm, n);
    const values = Object.fromEntries(ROUTE_FIELDS.map((f) => [f, v(f)]));
    return { ...(values as Omit<RouteFormValues, "enabled">), enabled: formChecked(this.routeForm, "enabled") };
  }

  private fill(form: HTMLFormElement, values: ChannelFormValues | RouteFormValues): void {
    for (const [k, value] of Object.entries(values)) {
      const el = form.elements.namedItem(k);
      if (el instanceof HTMLInputElement && el.type === "checkbox") el.checked = value === true;
      else if (typeof value === "string") setFormValue(form, k, value);
    }
  }

  private async submitChannel(): Promise<void> {
    await busy(this.channelForm, async () => {
      const parsed = parseChannelForm(this.channelValues());
      const before = this.editing.channel;
      const saved = await this.save(this.channelForm, CHANNEL_FIELDS, parsed.errors, async () => {
        await api.putChannel(parsed.value);
        // Channels are keyed by name: a renamed one is new. The old one goes
        // only when no route uses it; otherwise the service says so.
        if (before !== null && before.channel.name !== parsed.value.channel.name) await api.removeChannel(before.id);
      });
      if (saved) this.resetChannel();
    });
  }

  private async submitRoute(): Promise<void> {
    await busy(this.routeForm, async () => {
      const parsed = parseRouteForm(this.routeValues());
      const before = this.editing.route;
      const saved = await this.save(this.routeForm, ROUTE_FIELDS, parsed.errors, async () => {
        await api.putRoute(parsed.value);
        if (before !== null && before.route.name !== parsed.value.name) await api.removeRoute(before.id);
      });
      if (saved) this.resetRoute();
    });
  }

  /** Sends when the form's own hints are clear; shows every error (hints and the service's) at once. */
  private async save(form: HTMLFormElement, fields: readonly string[], hints: readonly FieldError[], write: () => Promise<void>): Promise<boolean> {
    if (hints.length > 0) {
      showApiError(form, notifyFormErrors(validationError([]), hints), fields);
      return false;
    }
    let saved = true;
    try {
      await write();
      clearFieldErrors(form);
    } catch (err) {
      showApiError(form, notifyFormErrors(toApiError(err)), fields);
      saved = false;
    }
    await this.load();
    return saved;
  }

  private resetChannel(): void {
    this.editing.channel = null;
    this.channelForm.reset();
    clearFieldErrors(this.channelForm);
    this.showKind();
    formMode("channel", "channel", null);
    for (const el of this.channelForm.querySelectorAll<HTMLElement>("[data-stored-secret]")) el.hidden = true;
  }

  private resetRoute(): void {
    this.editing.route = null;
    this.routeForm.reset();
    clearFieldErrors(this.routeForm);
    formMode("route", "route", null);
  }

  private editChannel(v: ChannelView): void {
    this.resetChannel();
    this.editing.channel = v;
    this.fill(this.channelForm, channelValuesOf(v.channel));
    this.showKind();
    for (const el of this.channelForm.querySelectorAll<HTMLElement>("[data-stored-secret]")) el.hidden = !hasStoredSecret(v.channel);
    formMode("channel", "channel", v.channel.name);
    this.channelForm.scrollIntoView({ block: "nearest" });
  }

  private editRoute(v: RouteView): void {
    this.resetRoute();
    this.editing.route = v;
    this.fill(this.routeForm, routeValuesOf(v.route));
    formMode("route", "route", v.route.name);
    this.routeForm.scrollIntoView({ block: "nearest" });
  }

  private onListClick(e: MouseEvent): void {
    const t = listAction(e);
    const channel = this.channels.find((c) => c.id === t?.id);
    const route = this.routes.find((r) => r.id === t?.id);
    switch (t?.action) {
      case "edit-channel":
        if (channel !== undefined) this.editChannel(channel);
        break;
      case "edit-route":
        if (route !== undefined) this.editRoute(route);
        break;
      case "toggle-channel":
        if (channel !== undefined) void this.write(() => api.putChannel({ channel: { ...channel.channel, enabled: !channel.channel.enabled }, password: null, secret: null }));
        break;
      case "toggle-route":
        if (route !== undefined) void this.write(() => api.putRoute({ ...route.route, enabled: !route.route.enabled }));
        break;
      case "remove-channel":
        if (channel !== undefined) void this.remove("channel", channel.channel.name, () => api.removeChannel(channel.id));
        break;
      case "remove-route":
        if (route !== undefined) void this.remove("route", route.route.name, () => api.removeRoute(route.id));
        break;
      case "test-channel":
        if (channel !== undefined) void this.sendTest(channel.channel.name);
        break;
    }
  }

  private async sendTest(name: string): Promise<void> {
    // The row redraws with "sending…"; a second click while it is in flight sends nothing more.
    if (this.tests.get(name)?.text === SENDING) return;
    this.tests.set(name, { ok: true, text: SENDING });
    this.render();
    try {
      const entry = await api.sendTest(name);
      this.tests.set(name, { ok: entry.outcome === "sent", text: deliveryText(entry) });
    } catch (err) {
      this.tests.set(name, { ok: false, text: `failed: ${toApiError(err).detail}` });
    }
    this.render();
    void this.log.refresh();
  }

  private async remove(what: Entity, name: string, action: () => Promise<unknown>): Promise<void> {
    const ok = await confirmInPage(this.confirm, `Remove ${what} ${name}?`, `Remove ${what}`);
    if (!ok) return;
    const done = await this.write(action);
    const editing = what === "channel" ? this.editing.channel?.channel.name : this.editing.route?.route.name;
    if (editing === name && done) {
      if (what === "channel") this.resetChannel();
      else this.resetRoute();
    }
  }

  /** A list action; the service's refusal (a channel a route uses) shows above the lists. */
  private async write(action: () => Promise<unknown>): Promise<boolean> {
    return listWrite(this.listError, action, () => this.load());
  }
}
