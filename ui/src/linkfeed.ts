// Keeps the map's topology links current: loaded once at start, then again
// whenever the service announces an inventory change (devices and sites,
// and the "link" entity an inventory pass announces). Reloads are debounced
// (a discovery adds devices in bursts), one call at a time, and the result
// reaches the map through a FrameBatch, so it redraws at most once a frame.
import type { LinkView } from "./generated/bindings";
import { api, onCoreEvent, onEventsLagged } from "./api";
import { FrameBatch } from "./batch";
import type { DeviceMap } from "./map";

const RELOAD_DEBOUNCE_MS = 500;

export async function startLinkFeed(map: DeviceMap): Promise<void> {
  const frames = new FrameBatch<LinkView[], { links: LinkView[] }>(
    () => ({ links: [] }),
    (acc, links) => (acc.links = links),
    (acc) => map.setLinks(acc.links),
  );
  let loading = false;
  let again = false;
  let timer: number | undefined;
  const load = async (): Promise<void> => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      frames.add(await api.listLinks());
    } catch {
      // Keep drawing the last links; the next inventory change retries.
    } finally {
      loading = false;
      if (again) {
        again = false;
        void load();
      }
    }
  };
  const soon = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
  };
  await onCoreEvent((ev) => {
    if (ev.type === "inventoryChanged") soon();
  });
  await onEventsLagged(soon);
  await load();
}
