// Entry point: asks the Rust side for the devices and renders them.
import { invoke } from "@tauri-apps/api/core";
import type { ApiError, Device } from "./generated/bindings";
import { renderDevices, renderError, toApiError } from "./devices";
import "./style.css";

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html lacks #${id}`);
  return el;
}

async function load(): Promise<void> {
  const banner = element("banner");
  const section = element("devices");
  const body = element("devices-body");
  try {
    // If the service could not open (e.g. another process holds the data
    // directory), the shell says why instead of serving the device list.
    const startup = await invoke<ApiError | null>("startup_error");
    if (startup !== null) {
      banner.innerHTML = renderError(startup);
      section.hidden = true;
      return;
    }
    const devices = await invoke<Device[]>("list_devices");
    banner.innerHTML = "";
    body.innerHTML = renderDevices(devices);
  } catch (err) {
    banner.innerHTML = renderError(toApiError(err));
    body.innerHTML = "";
  }
}

void load();
