// The one way the UI talks to the service: a typed async function per shell
// command (the list in src-tauri/lib.rs's generate_handler!, checked by
// api.test.ts) and the service's events, over a `Transport`: Tauri IPC in the
// desktop, or HTTP + WebSocket to the team server in a browser
// (httptransport.ts; main.ts picks one at start with `useTransport`), so
// screens never know which one carries their calls. `teamApi` holds the team
// server's own commands (login, users, tokens, audit), which the desktop
// lacks. Every failure is thrown as an `ApiFailure` (apierror.ts), whatever
// the transport; a command the server does not serve is `unsupported`.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  SelfWatchSettings,
  SystemStatus,
  Alarm,
  AlarmComment,
  TimelineEntry,
  AlarmCounts,
  ApiError,
  ChannelInput,
  ChannelView,
  CoreEvent,
  CredentialPatch,
  CredentialSummary,
  CredentialTest,
  Device,
  DeviceHistory,
  DeviceInput,
  DeliveryLogEntry,
  DeliveryLogFilter,
  DesktopDelivery,
  DeviceLive,
  CountOverride,
  DeviceCounts,
  DevicePatch,
  DeviceWalk,
  MibObject,
  MibReport,
  MibTranslation,
  MibTreeNode,
  PingResult,
  DiscoveryRequest,
  EventLogEntry,
  EventRule,
  EventRuleView,
  DiscoveryRun,
  FloorPlan,
  ForwardTarget,
  ForwardTargetView,
  FloorPlanInfo,
  ExportRequest,
  FoundDevice,
  ImportReport,
  ItemInput,
  ItemView,
  DeviceItemValue,
  InterfaceView,
  LinkView,
  MapTiles,
  MaintenanceView,
  MaintenanceWindow,
  NotificationSettings,
  NtpWatchConfig,
  NtpServerView,
  SynceSourceView,
  WanderSettings,
  WanderSettingsView,
  MaskInfo,
  DeviceTimingRole,
  TimingRole,
  WanderReport,
  PtpTree,
  PtpWatchConfig,
  PlanPosition,
  Retention,
  PreviewHit,
  Report,
  ReportFormat,
  ReportRequest,
  ReportSchedule,
  ScheduleInput,
  ScheduleRun,
  Route,
  RouteView,
  Rule,
  RuleView,
  SecretInput,
  Site,
  SiteInput,
  Actor,
  AuditEntry,
  AuditFilter,
  LoginOutcome,
  TokenCreated,
  TokenInput,
  TokenView,
  UserInput,
  UserPatch,
  UserView,
  SnmpIdentityView,
  SnmpVersion,
  StoreStatus,
  SyslogEntry,
  SyslogQuery,
  TrapEvent,
  TrapSettings,
  UsmInput,
  VaultInfo,
  VaultStatus,
} from "./generated/bindings";
import { ApiFailure, isApiError, toApiError } from "./apierror";

/** The service's event channels: every CoreEvent, and "you fell behind, reload". */
export type Channel = "core-event" | "core-event-lagged";

/**
 * What carries calls and events. Arguments are the command's parameters in
 * camelCase (as Tauri names them; the team server's HTTP API takes the same
 * JSON body). Results are `unknown` here: the typed functions below are the
 * one place that says what each command answers.
 */
export interface Transport {
  call(command: string, args: Record<string, unknown>): Promise<unknown>;
  /** Resolves once subscribed, with a function that unsubscribes. */
  subscribe(channel: Channel, handler: (payload: unknown) => void): Promise<() => void>;
}

/**
 * The shell sends `CoreEvent`s in arrays on `core-events` (src-tauri/events.rs:
 * one script evaluation per burst, not per event); listeners still get one
 * event at a time, in order.
 */
export function eachEvent(payload: unknown, handler: (event: unknown) => void): void {
  if (Array.isArray(payload)) for (const event of payload) handler(event);
  else handler(payload);
}

export const tauriTransport: Transport = {
  call: (command, args) => invoke(command, args),
  subscribe: (channel, handler) =>
    channel === "core-event"
      ? listen<unknown>("core-events", (e) => eachEvent(e.payload, handler))
      : listen<unknown>(channel, (e) => handler(e.payload)),
};

let transport: Transport = tauriTransport;

/** Inside the Tauri shell (else a browser, against the team server). */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Chosen once at start (and by tests). */
export function useTransport(t: Transport): void {
  transport = t;
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return (await transport.call(command, args)) as T;
  } catch (err) {
    throw new ApiFailure(toApiError(err));
  }
}

/** `startup_error`/`monitor_error` answer a JSON value; anything but an ApiError reads as none. */
async function optionalError(command: string): Promise<ApiError | null> {
  const v = await call<unknown>(command);
  return isApiError(v) ? toApiError(v) : null;
}

/**
 * One function per command. Grouped in one object so screens can take `Api`
 * (or a part of it) as a dependency and tests can pass a fake.
 */
export const api = {
  // Start-up: why the service could not open, or why monitoring is off.
  startupError: () => optionalError("startup_error"),
  monitorError: () => optionalError("monitor_error"),
  // Inventory and live state.
  listDevices: () => call<Device[]>("list_devices"),
  listSites: () => call<Site[]>("list_sites"),
  deviceLive: () => call<DeviceLive[]>("device_live"),
  addDevice: (input: DeviceInput) => call<Device>("add_device", { input }),
  updateDevice: (key: string, patch: DevicePatch) => call<Device>("update_device", { key, patch }),
  removeDevice: (key: string) => call<Device>("remove_device", { key }),
  addSite: (input: SiteInput) => call<Site>("add_site", { input }),
  updateSite: (key: string, input: SiteInput) => call<Site>("update_site", { key, input }),
  removeSite: (key: string) => call<Site>("remove_site", { key }),
  /** CSV text with the header name,address,site,lat,lon,tags; all rows or none. */
  importDevices: (csv: string, dryRun: boolean) => call<ImportReport>("import_devices", { csv, dryRun }),
  /** The export's CSV or JSON text. */
  exportData: (request: ExportRequest) => call<string>("export_data", { request }),
  /** An availability, top-N or alarm-handling report: its tables, chart data and notes. */
  report: (request: ReportRequest) => call<Report>("report", { request }),
  /** The same report as a file: PDF or PNG bytes, or CSV, SVG or JSON text as UTF-8 bytes. */
  reportFile: (request: ReportRequest, format: ReportFormat) =>
    call<number[]>("report_file", { request, format }),
  /** Scheduled reports with their next run and last result. */
  listReportSchedules: () => call<ReportSchedule[]>("list_report_schedules"),
  addReportSchedule: (input: ScheduleInput) => call<ReportSchedule>("add_report_schedule", { input }),
  /** Replaces the input of the schedule called `name` (a rename included); its run log and last result stay. */
  updateReportSchedule: (name: string, input: ScheduleInput) =>
    call<ReportSchedule>("update_report_schedule", { name, input }),
  removeReportSchedule: (name: string) => call<void>("remove_report_schedule", { name }),
  /** Runs a schedule now for its last whole period; a failed run is logged and returned, not thrown. */
  runReportSchedule: (name: string) => call<ScheduleRun>("run_report_schedule", { name }),
  /** The run log, newest first: one schedule's (`name`), or every schedule's (`null`). */
  reportScheduleRuns: (name: string | null, limit: number) =>
    call<ScheduleRun[]>("report_schedule_runs", { name, limit }),
  /** Opt-in Prometheus /metrics and /health on loopback; returns the address bound. */
  startMetrics: (addr: string | null) => call<string>("start_metrics", { addr }),
  stopMetrics: () => call<void>("stop_metrics"),
  // Alarms.
  listAlarms: (activeOnly: boolean, limit: number) => call<Alarm[]>("list_alarms", { activeOnly, limit }),
  ackAlarm: (id: string, comment: string | null) => call<Alarm>("ack_alarm", { id, comment }),
  clearAlarm: (id: string) => call<Alarm>("clear_alarm", { id }),
  activeAlarmCounts: () => call<AlarmCounts>("active_alarm_counts"),
  /** Inventory and device-state changes, newest first; `limit` 1 to 10,000. */
  eventLog: (limit: number) => call<EventLogEntry[]>("event_log", { limit }),
  // Alarm rules.
  listRules: () => call<RuleView[]>("list_rules"),
  /** Adds the rule, or replaces the one with its name. */
  putRule: (rule: Rule) => call<RuleView>("put_rule", { rule }),
  /** By name or id; its alarms clear. */
  removeRule: (key: string) => call<null>("remove_rule", { key }),
  /** A TOML rules file, checked whole; with `dryRun` nothing is written. Gives the rules' names. */
  importRules: (text: string, dryRun: boolean) => call<string[]>("import_rules", { text, dryRun }),
  exportRules: () => call<string>("export_rules"),
  // Custom items (an OID polled as its own series).
  listItems: () => call<ItemView[]>("list_items"),
  /** Adds the item, or replaces the device's (template's) item of its name. */
  addItem: (input: ItemInput) => call<ItemView>("add_item", { input }),
  /** By id or key (`device:<id>/name`). */
  removeItem: (key: string) => call<null>("remove_item", { key }),
  /** The items a device polls (its own and its template's), with their newest values. */
  deviceItems: (key: string) => call<DeviceItemValue[]>("device_items", { key }),
  // Maintenance windows.
  listMaintenance: () => call<MaintenanceView[]>("list_maintenance"),
  /** Adds the window, or replaces the one with its name. */
  putMaintenance: (window: MaintenanceWindow) => call<MaintenanceView>("put_maintenance", { window }),
  /** By name or id; alarms it held are announced if their condition remains. */
  removeMaintenance: (key: string) => call<null>("remove_maintenance", { key }),
  /** What a draft rule would raise now, on the newest samples; field errors as putRule's. */
  previewRule: (rule: Rule) => call<PreviewHit[]>("preview_rule", { rule }),
  // Credentials.
  listCredentials: () => call<CredentialSummary[]>("list_credentials"),
  addCommunityCredential: (name: string, version: SnmpVersion, community: string) =>
    call<CredentialSummary>("add_community_credential", { name, version, community }),
  addUsmCredential: (input: UsmInput) => call<CredentialSummary>("add_usm_credential", { input }),
  removeCredential: (key: string) => call<CredentialSummary>("remove_credential", { key }),
  /** Name and non-secret fields; the secret stays. */
  updateCredential: (key: string, patch: CredentialPatch) => call<CredentialSummary>("update_credential", { key, patch }),
  /** A new secret under the same id: devices keep the credential. */
  rotateCredential: (key: string, secret: SecretInput) => call<CredentialSummary>("rotate_credential", { key, secret }),
  /** SNMP GET of sysObjectID.0 and sysName.0 from `device`'s agent with this credential. */
  testCredential: (key: string, device: string) => call<CredentialTest>("test_credential", { key, device }),
  credentialBackend: () => call<VaultInfo>("credential_backend"),
  /** Whether the encrypted-file vault waits for its passphrase. */
  vaultStatus: () => call<VaultStatus>("vault_status"),
  /** Unlocks the file vault for this session; a wrong passphrase is a `passphrase` field error. */
  unlockVault: (passphrase: string) => call<VaultStatus>("unlock_vault", { passphrase }),
  // Discovery.
  startDiscovery: (request: DiscoveryRequest, communities: string[]) =>
    call<DiscoveryRun>("start_discovery", { request, communities }),
  cancelDiscovery: (id: string) => call<null>("cancel_discovery", { id }),
  discoveryRuns: (limit: number) => call<DiscoveryRun[]>("discovery_runs", { limit }),
  discoveryResults: (run: string) => call<FoundDevice[]>("discovery_results", { run }),
  addDiscovered: (run: string, addresses: string[], credential: string | null, communities: string[]) =>
    call<Device[]>("add_discovered", { run, addresses, credential, communities }),
  // Map: links and floor plans.
  listLinks: () => call<LinkView[]>("list_links"),
  floorPlan: (site: string) => call<FloorPlan | null>("floor_plan", { site }),
  /** `data` is the image, base64. */
  setFloorPlan: (site: string, data: string) => call<FloorPlanInfo>("set_floor_plan", { site, data }),
  removeFloorPlan: (site: string) => call<boolean>("remove_floor_plan", { site }),
  placeDevice: (device: string, site: string, x: number, y: number) =>
    call<PlanPosition>("place_device", { device, site, x, y }),
  unplaceDevice: (device: string) => call<boolean>("unplace_device", { device }),
  planPositions: (site: string) => call<PlanPosition[]>("plan_positions", { site }),
  /** The opt-in tile server; an empty `url` is the offline basemap only. */
  mapTiles: () => call<MapTiles>("map_tiles"),
  setMapTiles: (settings: MapTiles) => call<MapTiles>("set_map_tiles", { settings }),
  // Notifications (the desktop's mute).
  muteNotifications: (hours: number) => call<NotificationSettings>("mute_notifications", { hours }),
  unmuteNotifications: () => call<NotificationSettings>("unmute_notifications"),
  setNotificationDelay: (delaySecs: number) => call<NotificationSettings>("set_notification_delay", { delaySecs }),
  notificationSettings: () => call<NotificationSettings>("notification_settings"),
  /** Whether the last desktop notification could be shown (from the delivery log). */
  desktopDelivery: () => call<DesktopDelivery>("desktop_delivery"),
  // Notification channels (e-mail, webhooks) and routes.
  listChannels: () => call<ChannelView[]>("list_channels"),
  /** Adds the channel, or replaces the one with its name; `password`/`secret` go to the vault. */
  putChannel: (input: ChannelInput) => call<ChannelView>("put_channel", { input }),
  /** By name or id; refused (conflict) while a route uses it. */
  removeChannel: (key: string) => call<null>("remove_channel", { key }),
  listRoutes: () => call<RouteView[]>("list_routes"),
  putRoute: (route: Route) => call<RouteView>("put_route", { route }),
  removeRoute: (key: string) => call<null>("remove_route", { key }),
  /** Sends a test message now; a failure comes back as a network error on `channel`. */
  sendTest: (channel: string) => call<DeliveryLogEntry>("send_test", { channel }),
  /** Every delivery attempt, newest first. */
  deliveryLog: (filter: DeliveryLogFilter) => call<DeliveryLogEntry[]>("delivery_log", { filter }),
  // Device page.
  showDevice: (key: string) => call<Device>("show_device", { key }),
  /** `from`/`to` as RFC 3339; `ifIndex` null picks the busiest interface. */
  deviceHistory: (key: string, from: string, to: string, maxPoints: number, ifIndex: number | null) =>
    call<DeviceHistory>("device_history", { key, from, to, maxPoints, ifIndex }),
  deviceInterfaces: (key: string) => call<InterfaceView[]>("device_interfaces", { key }),
  /** Polls before "unreachable", before "up" again, before "SNMP not responding", defaults filled in. */
  deviceCounts: (key: string) => call<DeviceCounts>("device_counts", { key }),
  /** Null fields keep the default; all null returns to the defaults. */
  setDeviceCounts: (key: string, counts: CountOverride) => call<DeviceCounts>("set_device_counts", { key, counts }),
  ntpWatch: (key: string) => call<NtpWatchConfig | null>("ntp_watch", { key }),
  /** A port starts watching the device's NTP server; null stops. */
  setNtpWatch: (key: string, watch: NtpWatchConfig | null) => call<null>("set_ntp_watch", { key, watch }),
  ptpWatch: (key: string) => call<PtpWatchConfig | null>("ptp_watch", { key }),
  /** An endpoint (ptp4l's UNIX socket, or UDP 320) starts watching the device's PTP clock; null stops. */
  setPtpWatch: (key: string, watch: PtpWatchConfig | null) => call<null>("set_ptp_watch", { key, watch }),
  /** Every watched PTP clock asked now, drawn as grandmasters over the clocks that follow them. */
  ptpTree: () => call<PtpTree>("ptp_tree"),
  // Timing view.
  /** Every device that has a timing role, by name. */
  timingRoles: () => call<DeviceTimingRole[]>("timing_roles"),
  /** A role changes how the device's PTP clock is judged; null removes it. */
  setTimingRole: (key: string, role: TimingRole | null) => call<null>("set_timing_role", { key, role }),
  /** Watched NTP servers with their newest offset, delay, stratum and active NTP alarms. */
  ntpServers: () => call<NtpServerView[]>("ntp_servers"),
  /** SyncE clock sources with their newest quality level and degradation alarm. */
  synceSources: () => call<SynceSourceView[]>("synce_sources"),
  /** The device's wander masks and window, its own or the monitor's. */
  wanderSettings: (key: string) => call<WanderSettingsView>("wander_settings", { key }),
  /** Own settings (refused with field errors, nothing changed), or null to follow the monitor's. */
  setWanderSettings: (key: string, settings: WanderSettings | null) =>
    call<WanderSettingsView>("set_wander_settings", { key, settings }),
  /** The ITU-T mask library. */
  wanderMasks: () => call<MaskInfo[]>("wander_masks"),
  /** MTIE/TDEV of the device's stored PTP offset in [from, to) (RFC 3339), judged against `masks` (none: the default). */
  wander: (key: string, from: string, to: string, masks: string[]) =>
    call<WanderReport>("wander", { key, from, to, masks }),
  // History tiers.
  /** The store's size on disk and each tier's rows and bytes. */
  storeStatus: () => call<StoreStatus>("store_status"),
  /** Days each tier is kept; `dayDays` null keeps the 1-day tier forever. */
  retention: () => call<Retention>("retention"),
  /** Refused with field errors (and nothing changed) when a tier is kept shorter than a finer one. */
  setRetention: (keep: Retention) => call<Retention>("set_retention", { keep }),
  // The System tab.
  /** Meridian's own figures (as /metrics serves them) and its active self-alarms. */
  systemStatus: () => call<SystemStatus>("system_status"),
  /** The thresholds of Meridian's alarms about itself. */
  selfWatchSettings: () => call<SelfWatchSettings>("self_watch_settings"),
  /** Refused with field errors (and nothing changed) for a bad threshold. */
  setSelfWatchSettings: (settings: SelfWatchSettings) => call<SelfWatchSettings>("set_self_watch_settings", { settings }),
  // Alarm detail and device page actions.
  /** The alarm and its comment thread, oldest first. */
  showAlarm: (id: string) => call<[Alarm, AlarmComment[]]>("show_alarm", { id }),
  commentAlarm: (id: string, text: string) => call<AlarmComment>("comment_alarm", { id, text }),
  /** The alarm's life, oldest first: raised, held, released, severity changes, acknowledged, comments, cleared. */
  alarmTimeline: (id: string) => call<TimelineEntry[]>("alarm_timeline", { id }),
  /** What the device last said about itself over SNMP (sysName, sysDescr, sysObjectID), or null. */
  deviceIdentity: (key: string) => call<SnmpIdentityView | null>("device_identity", { key }),
  /** Asks the running monitor to poll the device at once; refused when monitoring is off or the device disabled. */
  pollDeviceNow: (key: string) => call<null>("poll_device_now", { key }),
  /** Four echo requests to the device's address. */
  pingDevice: (key: string) => call<PingResult>("ping_device", { key }),
  /** Walks a subtree (numeric or a MIB name, ".1" for all) of the device's agent with its stored credential; rows named by the MIBs; at most 5,000. */
  walkDevice: (key: string, root: string) => call<DeviceWalk>("walk_device", { key, root }),
  // The MIB browser.
  /** A name to its OID, or an OID to its `MODULE::name`; an unknown name is a `query` field error. */
  mibTranslate: (query: string) => call<MibTranslation>("mib_translate", { query }),
  /** Nodes whose name, then description, contains the text. */
  mibSearch: (text: string, limit: number) => call<MibTreeNode[]>("mib_search", { text, limit }),
  /** What the modules say about a node: syntax, enumerations, description. */
  mibShow: (query: string) => call<MibObject>("mib_show", { query }),
  /** The children of a node (null: the top of the tree). */
  mibChildren: (oid: string | null) => call<MibTreeNode[]>("mib_children", { oid }),
  /** Loaded modules and the files that did not load, with file and line. */
  mibList: () => call<MibReport>("mib_list"),
  // Received events and event rules.
  /** The newest stored traps and informs, malformed datagrams included. */
  listTrapEvents: (limit: number) => call<TrapEvent[]>("list_trap_events", { limit }),
  /** Stored syslog messages matching every filter, newest first; bad filters are field errors. */
  searchSyslog: (query: SyslogQuery) => call<SyslogEntry[]>("search_syslog", { query }),
  trapSettings: () => call<TrapSettings>("trap_settings"),
  setTrapSettings: (settings: TrapSettings) => call<null>("set_trap_settings", { settings }),
  listEventRules: () => call<EventRuleView[]>("list_event_rules"),
  /** Adds the event rule, or replaces the one with its name; every bad field at once. */
  putEventRule: (rule: EventRule) => call<EventRuleView>("put_event_rule", { rule }),
  removeEventRule: (key: string) => call<null>("remove_event_rule", { key }),
  /** Northbound forwarding targets; a trap target's community is never returned. */
  listForwardTargets: () => call<ForwardTargetView[]>("list_forward_targets"),
  /** `community` (trap targets) goes to the vault; null keeps the stored one. */
  putForwardTarget: (target: ForwardTarget, community: string | null) =>
    call<ForwardTargetView>("put_forward_target", { target, community }),
  removeForwardTarget: (key: string) => call<null>("remove_forward_target", { key }),
  /** Test hook: counts of what was drawn, logged by the shell; never fails. */
  uiRendered: (summary: string) => call<null>("ui_rendered", { summary }).catch(() => null),
} as const;

export type Api = typeof api;

/** The team server's own commands (HTTP transport only; the desktop has none of them). */
export const teamApi = {
  /** Starts a browser session; the transport keeps its CSRF token. */
  login: (name: string, password: string) => call<LoginOutcome>("login", { name, password }),
  logout: () => call<null>("logout"),
  me: () => call<Actor>("me"),
  listUsers: () => call<UserView[]>("list_users"),
  addUser: (input: UserInput) => call<UserView>("add_user", { input }),
  updateUser: (id: string, patch: UserPatch) => call<UserView>("update_user", { id, patch }),
  removeUser: (id: string) => call<UserView>("remove_user", { id }),
  listTokens: () => call<TokenView[]>("list_tokens"),
  /** The secret is in the answer this once. */
  addToken: (input: TokenInput) => call<TokenCreated>("add_token", { input }),
  revokeToken: (id: string) => call<TokenView>("revoke_token", { id }),
  audit: (filter: Partial<AuditFilter>) => call<AuditEntry[]>("audit", { filter }),
} as const;

/** Every CoreEvent the service publishes, in order. */
export function onCoreEvent(handler: (ev: CoreEvent) => void): Promise<() => void> {
  return transport.subscribe("core-event", (payload) => handler(payload as CoreEvent));
}

/** The event stream fell behind and dropped events: whoever keeps state from events reloads it. */
export function onEventsLagged(handler: () => void): Promise<() => void> {
  return transport.subscribe("core-event-lagged", () => handler());
}
