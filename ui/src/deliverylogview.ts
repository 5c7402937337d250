// The delivery log on the Notifications screen: every attempt, newest
// first, filtered by channel, refreshed on demand and every REFRESH_MS while
// the screen shows (and only then: hide() stops the timer).
import type { ChannelView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { element } from "./formdom";
import { draw, nothing } from "./html";
import { channelOptions, logTable } from "./notifylist";

const REFRESH_MS = 10_000;
/** Rows asked for: the service's own bound is larger; a screenful is what a person reads. */
const LOG_LIMIT = 200;

export class DeliveryLogView {
  private readonly body = element("delivery-log-body");
  private readonly error = element("delivery-log-error");
  private readonly filter = element<HTMLSelectElement>("delivery-log-channel");
  private readonly auto = element<HTMLInputElement>("delivery-log-auto");
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;

  constructor() {
    this.filter.addEventListener("change", () => void this.refresh());
    element("delivery-log-refresh").addEventListener("click", () => void this.refresh());
    this.auto.addEventListener("change", () => this.schedule());
  }

  show(channels: readonly ChannelView[]): void {
    this.setChannels(channels);
    void this.refresh();
    this.schedule();
  }

  hide(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The filter's choices follow the channel list; the choice stays when its channel does. */
  setChannels(channels: readonly ChannelView[]): void {
    const kept = this.filter.value;
    draw(this.filter, channelOptions(channels, "every channel"));
    this.filter.value = channels.some((c) => c.channel.name === kept) ? kept : "";
  }

  async refresh(): Promise<void> {
    // A slow answer must not stack up behind the timer.
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const channel = this.filter.value === "" ? null : this.filter.value;
      const entries = await api.deliveryLog({ channel, alarmId: null, limit: LOG_LIMIT });
      draw(this.error, nothing);
      draw(this.body, logTable(entries));
    } catch (err) {
      draw(this.error, toApiError(err).detail);
    } finally {
      this.inFlight = false;
    }
  }

  private schedule(): void {
    this.hide();
    if (this.auto.checked) this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }
}
