// Generated from Rust by meridian-service (ts-rs). Do not edit.
// Regenerate: UPDATE_BINDINGS=1 cargo test -p meridian-service --test bindings

export type DeviceId = string;

export type SiteId = string;

export type CredentialId = string;

export type Device = { id: DeviceId, name: string, address: string, kind: DeviceKind, vendor: string | null, model: string | null, os: string | null, siteId: SiteId | null, siteName: string | null, 
/**
 * Location override; when absent the device sits at its site.
 */
lat: number | null, lon: number | null, tags: Array<string>, credentialId: CredentialId | null, credentialName: string | null, 
/**
 * SNMP agent port; `None` means 161.
 */
snmpPort: number | null, enabled: boolean, createdAt: string, updatedAt: string, 
/**
 * Bumped on every change; later sync uses it for conflict detection.
 */
version: number, };

export type DeviceKind = "router" | "switch" | "firewall" | "wireless" | "server" | "ups" | "printer" | "camera" | "storage" | "sensor" | "pdu" | "chassis" | "unknown";

export type DeviceInput = { name: string, address: string, kind: string | null, vendor: string | null, model: string | null, os: string | null, site: string | null, lat: number | null, lon: number | null, tags: Array<string>, credential: string | null, snmpPort: number | null, enabled: boolean | null, };

export type DevicePatch = { name: string | null, address: string | null, kind: string | null, vendor: string | null, model: string | null, os: string | null, site: string | null, lat: number | null, lon: number | null, clearLocation: boolean, tags: Array<string> | null, credential: string | null, snmpPort: number | null, enabled: boolean | null, };

export type Site = { id: SiteId, name: string, lat: number | null, lon: number | null, hasFloorPlan: boolean, deviceCount: number, createdAt: string, updatedAt: string, version: number, };

export type SiteInput = { name: string, lat: number | null, lon: number | null, };

export type ImportReport = { dryRun: boolean, 
/**
 * Names of the devices imported (or to import), in file order.
 */
devices: Array<string>, 
/**
 * Names of the sites created (or to create).
 */
sitesCreated: Array<string>, };

export type ExportRequest = { what: ExportWhat, format: ExportFormat, from: string | null, to: string | null, 
/**
 * A device name or id (alarms and samples only).
 */
device: string | null, };

export type ExportWhat = "devices" | "sites" | "alarms" | "samples";

export type ExportFormat = "csv" | "json";

export type ReportRequest = { kind: ReportKind, from: string, to: string, site: string | null, tag: string | null, device: string | null, 
/**
 * Rows per top-N table.
 */
topN: number | null, };

export type ReportKind = "availability" | "top" | "alarms";

export type ReportFormat = "pdf" | "csv" | "svg" | "png" | "json";

export type Report = { kind: ReportKind, title: string, scope: string, from: string, to: string, generatedAt: string, tables: Array<Table>, chart: Chart, 
/**
 * Lines said under the title, e.g. that the period holds no data.
 */
notes: Array<string>, };

export type Cadence = "daily" | "weekly" | "monthly";

export type Period = { from: string, to: string, };

export type ScheduleInput = { 
/**
 * Unique; part of every file name (letters, digits, `-` and `_`).
 */
name: string, cadence: Cadence, kind: ReportKind, site: string | null, tag: string | null, device: string | null, topN: number | null, 
/**
 * PDF, CSV or both: one file each per run.
 */
formats: Array<ReportFormat>, 
/**
 * An absolute directory the files are written to.
 */
folder: string, 
/**
 * The e-mail notification channel whose SMTP server (and, without
 * `recipients`, whose recipients) the files are mailed through.
 */
channel: string | null, 
/**
 * Who gets the files, instead of the channel's recipients.
 */
recipients: Array<string>, enabled: boolean, };

export type ReportSchedule = { createdAt: string, 
/**
 * The end of the last period written (`None`: none yet).
 */
lastPeriodTo: string | null, 
/**
 * When it last ran (by itself or by hand).
 */
lastRunAt: string | null, 
/**
 * The runner looks at it again from here on.
 */
nextDue: string, 
/**
 * Whether the last run succeeded (`None`: never ran).
 */
lastOk: boolean | null, 
/**
 * Why the last run failed, until one succeeds.
 */
lastError: string | null, 
/**
 * Unique; part of every file name (letters, digits, `-` and `_`).
 */
name: string, cadence: Cadence, kind: ReportKind, site: string | null, tag: string | null, device: string | null, topN: number | null, 
/**
 * PDF, CSV or both: one file each per run.
 */
formats: Array<ReportFormat>, 
/**
 * An absolute directory the files are written to.
 */
folder: string, 
/**
 * The e-mail notification channel whose SMTP server (and, without
 * `recipients`, whose recipients) the files are mailed through.
 */
channel: string | null, 
/**
 * Who gets the files, instead of the channel's recipients.
 */
recipients: Array<string>, enabled: boolean, };

export type ScheduleRun = { schedule: string, at: string, period: Period, ok: boolean, 
/**
 * The files written (full paths).
 */
files: Array<string>, 
/**
 * What the mail relay said, when the report was mailed.
 */
mailed: string | null, error: string | null, };

export type Table = { title: string, columns: Array<string>, rows: Array<Array<string>>, };

export type Chart = { title: string, 
/**
 * What the values measure, for the axis ("%", "ms").
 */
unit: string, labels: Array<string>, values: Array<number>, 
/**
 * The axis end when it is fixed (100 for percentages).
 */
max: number | null, };

export type CredentialSummary = { id: CredentialId, name: string, version: SnmpVersion, user: string | null, authProto: AuthProtocol | null, privProto: PrivProtocol | null, 
/**
 * Where the secret lives: "keyring" or "encrypted-file".
 */
backend: string, createdAt: string, };

export type SnmpVersion = "v1" | "v2c" | "v3";

export type AuthProtocol = "MD5" | "SHA-1" | "SHA-224" | "SHA-256" | "SHA-384" | "SHA-512";

export type PrivProtocol = "DES" | "AES-128" | "AES-192" | "AES-256";

export type UsmInput = { name: string, user: string, authProto: string | null, authPass: string | null, privProto: string | null, privPass: string | null, };

export type CredentialPatch = { name: string | null, 
/**
 * v1 or v2c, for a community credential only.
 */
version: SnmpVersion | null, 
/**
 * The USM user name, for a v3 credential only.
 */
user: string | null, };

export type SecretInput = { community: string | null, authPass: string | null, privPass: string | null, };

export type CredentialTest = { credential: string, device: string, 
/**
 * The agent asked, `ADDR:PORT`.
 */
agent: string, sysName: string, sysObjectId: string, };

export type DesktopDelivery = { failing: boolean, 
/**
 * The platform's error of the last attempt, when it failed.
 */
reason: string | null, 
/**
 * When the last attempt was; null before the first.
 */
at: string | null, };

export type VaultInfo = { backend: string, location: string, };

export type VaultProtection = "new" | "passphrase" | "keyFile" | "legacy";

export type VaultStatus = { 
/**
 * Where new secrets go: "keyring" or "encrypted-file".
 */
backend: string, location: string, 
/**
 * The file vault is locked and is (or holds) where secrets go: ask for
 * the passphrase.
 */
locked: boolean, protection: VaultProtection, };

export type ApiError = { kind: ApiErrorKind, detail: string, fields: Array<FieldError>, 
/**
 * With `throttled`: seconds until the next try is allowed.
 */
retryAfterSecs?: number, };

export type ApiErrorKind = "validation" | "not_found" | "conflict" | "in_use" | "schema" | "store" | "vault" | "vault_locked" | "network" | "permission" | "unauthorized" | "forbidden" | "locked" | "throttled" | "unsupported" | "internal";

export type FieldError = { field: string, message: string, };

export type CoreEvent = { "type": "inventoryChanged", entity: InventoryEntity, id: string, action: ChangeAction, } | { "type": "deviceStateChanged", deviceId: DeviceId, name: string, from: DeviceState, to: DeviceState, at: string, } | { "type": "alarmRaised", alarm: Alarm, } | { "type": "alarmCleared", alarm: Alarm, } | { "type": "alarmAcknowledged", alarm: Alarm, } | { "type": "discoveryProgress", progress: DiscoveryProgress, } | { "type": "discoveryFound", device: FoundDevice, } | { "type": "discoveryFinished", run: DiscoveryRun, } | { "type": "rulesChanged" } | { "type": "maintenanceChanged" } | { "type": "pollRequested", deviceId: DeviceId, } | { "type": "ptpChanged", deviceId: DeviceId, name: string, change: PtpChange, at: string, } | { "type": "eventsMissed", count: bigint, };

export type RuleView = { 
/**
 * The id its alarms name (`rule:<id>`).
 */
id: string, rule: Rule, updatedAt: string, };

export type Rule = { name: string, enabled: boolean, metric: MetricKey, 
/**
 * A glob (`*`, `?`) on the instance's name: an interface's name, a
 * storage area, a template row. Absent: every instance.
 */
instance: string | null, comparison: Comparison, levels: Array<Level>, raiseAfter: Hold, clearAfter: Hold, 
/**
 * Raise (at the rule's lowest severity) when a series that reported
 * before has been silent for this many of its own intervals.
 */
noDataIntervals: number | null, scope: RuleScope, overrides: Array<Override>, };

export type CustomItem = { 
/**
 * The series' metric name: lower-case letters, digits and `_`.
 */
name: string, target: ItemTarget, 
/**
 * Numeric, dotted: the full instance (`.1.3.6.1.4.1.2021.11.11.0`).
 */
oid: string, 
/**
 * The unit after scaling; a counter's rate is this per second.
 */
unit: string, 
/**
 * The raw value (or a counter's rate) is multiplied by this.
 */
scale: number, kind: ItemKind, 
/**
 * Seconds between polls of this item.
 */
intervalSecs: number, description: string, };

export type ItemKind = "gauge" | "counter32" | "counter64";

export type ItemTarget = { "kind": "device", "value": DeviceId } | { "kind": "template", "value": string };

export type ItemInput = { device: string | null, template: string | null, name: string, oid: string, unit: string, 
/**
 * 1 when absent.
 */
scale: number | null, 
/**
 * A gauge when absent.
 */
kind: ItemKind | null, intervalSecs: number, description: string, };

export type ItemView = { id: string, item: CustomItem, 
/**
 * The device's name, for a device's item.
 */
deviceName: string | null, updatedAt: string, };

export type DeviceItemValue = { id: string, item: CustomItem, 
/**
 * Polled because the device's template has it.
 */
inherited: boolean, value: number | null, at: string | null, };

export type Comparison = "above" | "below";

export type Level = { severity: Severity, raise: number, 
/**
 * Defaults to `raise` (no hysteresis). Must lie on the good side of it.
 */
clear: number | null, };

export type Hold = { samples: number, };

export type RuleScope = { all: boolean, 
/**
 * Device names.
 */
devices: Array<string>, tags: Array<string>, 
/**
 * Site names.
 */
sites: Array<string>, kinds: Array<DeviceKind>, 
/**
 * Poll template names.
 */
templates: Array<string>, };

export type Override = { device: string, enabled: boolean | null, levels: Array<Level> | null, };

export type MaintenanceView = { id: string, window: MaintenanceWindow, 
/**
 * Open at the moment the list was read.
 */
openNow: boolean, updatedAt: string, };

export type DeviceCounts = { device: DeviceId, overrides: CountOverride, downAfter: number, upAfter: number, snmpFailAfter: number, };

export type NtpWatchConfig = { port: number, };

export type PtpWatchConfig = { endpoint: PtpWatchEndpoint, 
/**
 * The PTP domain asked (domainNumber of the requests).
 */
domain: number, 
/**
 * |offsetFromMaster| above this raises "offset exceeded"; null: the
 * default (`PtpThresholds::default`, 1 us).
 */
offsetLimitNs: number | null, 
/**
 * Count UNCALIBRATED as synchronised: for a monitoring-only client that
 * never steers its clock (ptp4l 3.1 with `free_running 1` never leaves it).
 */
uncalibratedIsSynced: boolean, };

export type PtpWatchEndpoint = { "kind": "uds", path: string, } | { "kind": "udp", address: string | null, };

export type PtpChange = { "kind": "grandmasterChanged", from: string, to: string, } | { "kind": "clockClassChanged", grandmaster: string, from: number, to: number, };

export type PingResult = { address: string, sent: number, received: number, lossPercent: number, rttMinMs: number | null, rttAvgMs: number | null, rttMaxMs: number | null, 
/**
 * Mean absolute difference of consecutive RTTs (lost requests skipped);
 * `None` with fewer than two replies.
 */
jitterMs: number | null, 
/**
 * RTT of each request in send order, `None` when it was lost.
 */
rttsMs: Array<number | null>, 
/**
 * The last error other than a plain timeout (an ICMP unreachable, a
 * send failure), if any.
 */
error: string | null, };

export type VarBindView = { oid: string, type: string, value: number | string | null, 
/**
 * `MODULE::name.instance` from the loaded MIBs.
 */
name: string | null, 
/**
 * The value as its MIB says to show it (`up(1)`, `52:54:0:12:34:56`).
 */
display: string | null, };

export type DeviceWalk = { device: string, 
/**
 * The agent asked, `ADDR:PORT`.
 */
agent: string, rows: Array<VarBindView>, 
/**
 * More rows came back than [`WALK_MAX_ROWS`]; the first ones are kept.
 */
truncated: boolean, };

export type PtpTree = { 
/**
 * Grandmasters (and unwatched parents) at the roots.
 */
roots: Array<PtpTreeNode>, unreachable: Array<PtpTreeMiss>, };

export type PtpTreeNode = { 
/**
 * The clock identity, printed as pmc does.
 */
clock: string, 
/**
 * The watched device that answered as this clock, if any.
 */
device: string | null, 
/**
 * False for a parent a child named but no watched device answered as.
 */
seen: boolean, 
/**
 * The device's timing role, when it has one.
 */
role: TimingRole | null, portState: string | null, offsetNs: number | null, pathDelayNs: number | null, stepsRemoved: number | null, children: Array<PtpTreeNode>, };

export type PtpTreeMiss = { device: string, error: string, };

export type TimingRole = "grandmaster" | "boundary-clock" | "transparent-clock" | "ptp-client" | "ntp-server" | "gnss-receiver" | "ssu-bits";

export type DeviceTimingRole = { deviceId: DeviceId, device: string, role: TimingRole, };

export type WanderReport = { device: string, from: string, to: string, 
/**
 * Stored points in the window.
 */
points: number, 
/**
 * The grid step the series was put on, seconds.
 */
tau0: number, mtie: Array<TauValue>, tdev: Array<TauValue>, 
/**
 * One per chosen mask and metric it has a limit in (MTIE, TDEV).
 */
verdicts: Array<MaskVerdict>, 
/**
 * Each verdict's mask as a curve over the report's taus, to draw.
 */
curves: Array<MaskCurve>, };

export type MaskCurve = { mask: string, metric: WanderMetric, points: Array<TauValue>, };

export type NtpServerView = { device: string, address: string, port: number, 
/**
 * When the newest reading was taken; null before the first answer.
 */
at: string | null, offsetMs: number | null, delayMs: number | null, stratum: number | null, 
/**
 * The reach register after the newest poll, in octal as `ntpq -p`
 * shows it ("377": the last eight polls answered; "0": none).
 */
reach: string | null, 
/**
 * Specific problems of its active NTP alarms (`ntpUnreachable` ...).
 */
alarms: Array<string>, };

export type SynceSourceView = { device: string, 
/**
 * The source's name on the device (its interface).
 */
source: string, 
/**
 * "QL-PRC", or "unknown (N)" for a stored number no level has.
 */
qualityLevel: string, at: string, 
/**
 * The active degradation alarm's text ("Gi0/0/1: QL-SEC, expected QL-PRC").
 */
alarm: string | null, };

export type WanderSettingsView = { device: string, settings: WanderSettings, 
/**
 * False: the monitor's settings, which the device follows until given its own.
 */
own: boolean, };

export type WanderSettings = { 
/**
 * Mask ids (`meridian timing masks`); at least one.
 */
masks: Array<string>, 
/**
 * How far back each check (and the Timing tab's first analysis) reads, seconds.
 */
windowSecs: number, };

export type CountOverride = { downAfter: number | null, upAfter: number | null, snmpFailAfter: number | null, };

export type MaintenanceWindow = { name: string, comment: string, enabled: boolean, scope: RuleScope, schedule: WindowSchedule, };

export type WindowSchedule = { "kind": "once", start: string, end: string, } | { "kind": "weekly", days: Array<Day>, start: string, minutes: number, } | { "kind": "cron", expr: string, minutes: number, };

export type Day = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export type InventoryEntity = "device" | "site" | "link";

export type ChangeAction = "added" | "updated" | "removed" | "template_changed" | "floor_plan_changed" | "links_refreshed";

export type BuiltinMetric = "rtt_ms" | "jitter_ms" | "loss_pct" | "if_in_bps" | "if_out_bps" | "if_in_util_pct" | "if_out_util_pct" | "if_in_errors" | "if_out_errors" | "if_in_discards" | "if_out_discards" | "cpu_pct" | "load1" | "storage_used_pct" | "ntp_offset_ms" | "ntp_delay_ms" | "ntp_stratum" | "ntp_reach" | "ptp_offset_ns" | "ptp_path_delay_ns" | "ptp_steps_removed" | "ptp_gm_clock_class" | "synce_ql";

export type MetricKey = BuiltinMetric | string;

export type DeviceState = "unknown" | "up" | "degraded" | "down";

export type DeviceLive = { deviceId: DeviceId, state: DeviceState, 
/**
 * Average RTT of the last successful ICMP poll, in milliseconds.
 */
rttMs: number | null, lossPct: number | null, 
/**
 * Last time the device answered anything.
 */
lastSeen: string | null, lastPoll: string | null, 
/**
 * The state is the last one known before the monitor started and no
 * poll of this run has confirmed it yet.
 */
stale: boolean, 
/**
 * For a stale state, when the device entered it.
 */
since: string | null, 
/**
 * The agent's sysUpTime at its last answer, in whole seconds (`uptime_at`
 * says when); the uptime now is that plus the time since.
 */
uptimeSecs?: number, uptimeAt?: string, };

export type Alarm = { id: AlarmId, deviceId: DeviceId | null, managedObject: string, eventType: EventType, probableCause: string, specificProblem: string, perceivedSeverity: Severity, additionalText: string, raisedAt: string, clearedAt: string | null, ackedAt: string | null, ackedBy: string | null, ackComment: string | null, 
/**
 * Bumped on every change; later sync uses it for conflict detection.
 */
version: number, 
/**
 * The root-cause alarm this one is a symptom of (a parent device is
 * down): recorded and shown under its root, never notified.
 */
suppressedBy: string | null, 
/**
 * The maintenance window in force when it was raised: recorded, not
 * notified until the window ends with the condition still present.
 */
maintenance: string | null, };

export type AlarmId = string;

export type AlarmComment = { alarmId: AlarmId, at: string, by: string, text: string, };

export type EventLogEntry = { 
/**
 * The log's sequence number (a bigint in the store; far below 2^53).
 */
id: number, at: string, actor: string, 
/**
 * What happened, e.g. `device.add`, `device.state`, or an `AlarmStep`.
 */
action: string, entity: string, entityId: string, 
/**
 * Any JSON (an object for every entry written today); the UI narrows it.
 */
detail: unknown, };

export type EventType = "communications" | "quality_of_service" | "processing_error" | "equipment" | "environmental";

export type Severity = "critical" | "major" | "minor" | "warning" | "indeterminate" | "cleared";

export type DiscoveryRunId = string;

export type DiscoveryRequest = { 
/**
 * CIDR blocks, ranges (`a.b.c.d-e.f.g.h` or `a.b.c.d-h`) or addresses.
 */
targets: Array<string>, 
/**
 * Saved credentials to try, in order.
 */
credentials: Array<string>, mode: DiscoveryMode, 
/**
 * Probe SNMP on addresses that did not answer ICMP too.
 */
snmpWithoutPing: boolean, 
/**
 * UDP port of the SNMP agents.
 */
port: number, 
/**
 * Allow more than 65,536 addresses.
 */
force: boolean, 
/**
 * Wait per ICMP or SNMP request.
 */
timeoutMs: number, 
/**
 * Extra attempts per address and credential.
 */
retries: number, 
/**
 * The site (by name) of the devices this run adds; none when unset.
 */
site: string | null, 
/**
 * Tags of the devices this run adds.
 */
tags: Array<string>, };

export type DiscoveryMode = "icmpThenSnmp" | "icmpOnly" | "snmpOnly";

export type DiscoveryRun = { id: DiscoveryRunId, startedAt: string, finishedAt: string | null, state: RunState, 
/**
 * The request, with ad-hoc communities reduced to a count.
 */
request: DiscoveryRequest, total: number, probed: number, found: number, error: string | null, };

export type RunState = "running" | "completed" | "cancelled" | "failed";

export type DiscoveryPhase = "sweep" | "snmp" | "done";

export type DiscoveryProgress = { runId: DiscoveryRunId, phase: DiscoveryPhase, probed: number, total: number, found: number, };

export type FoundDevice = { runId: DiscoveryRunId, address: string, 
/**
 * Other addresses of the same agent (same engine id) in this run.
 */
otherAddresses: Array<string>, 
/**
 * Answered ICMP.
 */
alive: boolean, rttMs: number | null, snmp: SnmpIdentity | null, 
/**
 * The saved credential that worked.
 */
credentialId: CredentialId | null, 
/**
 * Which credential worked, in words (`"lab-v3"`, `"community #2 (ad hoc)"`).
 */
credentialLabel: string | null, classification: Classification | null, 
/**
 * The existing device this is, and how we know.
 */
existing: DeviceId | null, matchedBy: IdentityMatch | null, 
/**
 * Set once the user added it from the review.
 */
added: DeviceId | null, 
/**
 * A device name to propose: sysName cleaned up, else the address.
 */
suggestedName: string, };

export type SnmpIdentity = { sysName: string, sysDescr: string, sysObjectId: string, sysLocation: string, sysServices: number | null, 
/**
 * snmpEngineID in lower-case hex: the identity that survives readdressing.
 */
engineId: string | null, 
/**
 * lldpLocChassisId as neighbours report it (see `topology`).
 */
chassisId: string | null, port: number, };

export type IdentityMatch = "address" | "engineId" | "sysName";

export type Classification = { vendor: Field<string> | null, model: Field<string> | null, os: Field<string> | null, osVersion: Field<string> | null, kind: Field<DeviceKind>, };

export type Field<T> = { value: T, confidence: number, evidence: Array<string>, };

export type Link = { protocol: NeighbourProtocol, localDevice: DeviceId, localPortNum: number, localPort: string, remoteDevice: DeviceId | null, remotePort: string, remoteSysName: string, remoteChassisId: string, remoteMgmtAddr: string | null, matchedBy: MatchKey | null, };

export type NeighbourProtocol = "lldp" | "cdp";

export type MatchKey = "chassisId" | "mgmtAddress" | "sysName";

export type LinkView = { localName: string, 
/**
 * The matched device's name; `None` for a neighbour we do not manage.
 */
remoteName: string | null, protocol: NeighbourProtocol, localDevice: DeviceId, localPortNum: number, localPort: string, remoteDevice: DeviceId | null, remotePort: string, remoteSysName: string, remoteChassisId: string, remoteMgmtAddr: string | null, matchedBy: MatchKey | null, };

export type InventoryReport = { device: string, entities: number, neighbours: number, 
/**
 * Neighbours recognised as managed devices.
 */
matched: number, 
/**
 * The device's links differ from what was stored before.
 */
linksChanged: boolean, };

export type TemplateChoice = { template: string, description: string, 
/**
 * Set by the user (`device template`), not chosen from the classification.
 */
overridden: boolean, 
/**
 * Metrics the template polls, by name.
 */
metrics: Array<string>, };

export type PhysicalEntity = { index: number, descr: string, 
/**
 * entPhysicalVendorType, dotted; identifies the part in the vendor's MIB.
 */
vendorType: string, 
/**
 * The container's index; 0 for a top-level entity.
 */
containedIn: number, 
/**
 * entPhysicalClass; see [`class_name`].
 */
class: number | null, 
/**
 * Position among the container's children; -1 when the agent does not know.
 */
parentRelPos: number | null, name: string, hardwareRev: string, firmwareRev: string, softwareRev: string, serialNum: string, mfgName: string, modelName: string, alias: string, assetId: string, 
/**
 * Field-replaceable unit (TruthValue 1 = true, 2 = false).
 */
isFru: boolean | null, };

export type ImageMime = "image/png" | "image/jpeg" | "image/webp";

export type PlanPosition = { deviceId: DeviceId, x: number, y: number, };

export type FloorPlan = { siteId: SiteId, mime: ImageMime, width: number, height: number, 
/**
 * The image, base64 (standard alphabet, padded).
 */
data: string, updatedAt: string, };

export type FloorPlanInfo = { siteId: SiteId, mime: ImageMime, width: number, height: number, };

export type DeviceHistory = { deviceId: DeviceId, from: string, to: string, 
/**
 * Width of every bucket in `series`.
 */
bucketSecs: number, 
/**
 * The coarsest history tier the series were read from (raw samples,
 * or a 5-minute, 1-hour or 1-day rollup; see `rollup::plan`).
 */
tier: HistoryTier, 
/**
 * The interface whose traffic `series` carries (asked for, else the
 * busiest); `None` when the device has no polled interfaces.
 */
ifIndex: number | null, series: Array<SeriesData>, 
/**
 * State changes within the range, newest first.
 */
states: Array<StateChange>, };

export type SeriesData = { metric: MetricKey, unit: string, 
/**
 * Set for interface metrics.
 */
ifIndex: number | null, 
/**
 * Set for a metric with one series per table row: the storage area's
 * description, a template table's row index.
 */
row: string | null, 
/**
 * The interface's name (or description) when it has one.
 */
interface: string | null, t: Array<number>, avg: Array<number>, min: Array<number>, max: Array<number>, };

export type StateChange = { at: string, from: DeviceState, to: DeviceState, };

export type InterfaceView = { ifIndex: number, name: string | null, descr: string | null, alias: string | null, speedBps: number | null, adminStatus: string | null, operStatus: string | null, 
/**
 * Latest rates in bit/s; `None` when no rate is recent enough to trust.
 */
inBps: number | null, outBps: number | null, updatedAt: string, };

export type HistoryTier = "raw" | "fiveMin" | "hour" | "day";

export type Retention = { rawDays: number, fiveMinDays: number, hourDays: number, dayDays: number | null, };

export type TierSize = { tier: HistoryTier, 
/**
 * The planner's row estimate, as of the last `ANALYZE` (exact for small
 * tables; counting a large one would take seconds).
 */
rows: number, 
/**
 * Table plus indexes.
 */
bytes: number, };

export type StoreStatus = { sizeBytes: number, tiers: Array<TierSize>, };

export type AlarmSpec = { managedObject: string, eventType: EventType, probableCause: string, specificProblem: string, perceivedSeverity: Severity, additionalText: string, };

export type DiskSpace = { freeBytes: number, totalBytes: number, };

export type SelfWatchSettings = { 
/**
 * The size budgeted for the store; `None` watches no cap.
 */
storeCapBytes: number | null, 
/**
 * Percent of the cap that raises a warning, and a major alarm.
 */
storeWarnPct: number, storeMajorPct: number, 
/**
 * Free space left on the data directory's filesystem, in percent,
 * that raises a warning, and a major alarm.
 */
diskFreeWarnPct: number, diskFreeMajorPct: number, 
/**
 * The disk alarm is raised only while free space is also below this
 * many bytes: a few percent of a large disk is still plenty.
 */
diskFreeFloorBytes: number, 
/**
 * Percent of the polls started in the window that began more than one
 * interval after their tick: a warning, and a major alarm.
 */
lateWarnPct: number, lateMajorPct: number, 
/**
 * Fewer polls than this in the window say nothing about lag.
 */
lateMinPolls: bigint, 
/**
 * The window over which late polls and dropped samples are counted.
 */
windowSecs: bigint, 
/**
 * A raised alarm clears (or lowers its grade) only this many points
 * below its threshold.
 */
hysteresisPct: number, 
/**
 * A worse condition must last this long before it is raised…
 */
raiseAfterSecs: bigint, 
/**
 * …and a better one this long before it is cleared.
 */
clearAfterSecs: bigint, };

export type MapTiles = { 
/**
 * A Leaflet URL template with `{z}`, `{x}` and `{y}`, e.g.
 * `https://tile.example.net/{z}/{x}/{y}.png`; "" for none.
 */
url: string, 
/**
 * Shown in the map's corner while the tiles are drawn (plain text).
 */
attribution: string, };

export type SystemStatus = { monitorRunning: boolean, monitorStartedAt: string | null, uptimeSecs: number | null, devices: number, pollJobs: number, pollsOk: number, pollsFailed: number, pollsInFlight: number, 
/**
 * Polls started, and those started more than one interval late.
 */
pollsStarted: number, pollsLate: number, ticksSkipped: number, queueDepth: number, queueCapacity: number, samplesWritten: number, samplesDropped: number, writeErrors: number, 
/**
 * Mean time of one committed writer batch, and of one rule pass.
 */
writerBatchMs: number | null, rulePassMs: number | null, storeBytes: number, storeCapBytes: number | null, tiers: Array<TierSize>, disk: DiskSpace | null, storeError: string | null, 
/**
 * Meridian's active alarms about itself.
 */
selfAlarms: Array<AlarmSpec>, 
/**
 * The trap receiver's intake, when one runs in this process.
 */
traps: IntakeFigures | null, 
/**
 * The syslog receiver's intake, when one runs in this process.
 */
syslog: IntakeFigures | null, };

export type IntakeFigures = { received: number, stored: number, dropped: number, refused: number, malformed: number, };

export type AlarmCounts = { critical: number, major: number, minor: number, warning: number, indeterminate: number, };

export type NotificationSettings = { mutedUntil: string | null, delaySecs: number, };

export type WanderAnalysis = { metric: WanderMetric, tau0: number, samples: number, 
/**
 * The low-pass corner (Hz) applied before the metric, when the mask asks
 * for one.
 */
prefilterHz: number | null, points: Array<TauValue>, verdict: MaskVerdict | null, };

export type WanderMetric = "mtie" | "tdev" | "adev" | "mdev";

export type TauValue = { tau: number, value: number, };

export type MaskVerdict = { mask: string, metric: WanderMetric, title: string, pass: boolean, firstFailingTau: number | null, worstMargin: number | null, worstTau: number | null, points: Array<MaskPoint>, };

export type MaskPoint = { tau: number, value: number, limit: number, pass: boolean, };

export type MaskInfo = { id: string, metric: WanderMetric, title: string, source: string, appliesTo: string, prefilterHz: number | null, tauFrom: number, tauTo: number | null, };

export type TeClassVerdict = { class: string, pass: boolean, checks: Array<TeCheck>, };

export type TeCheck = { quantity: string, value: number, limit: number, pass: boolean, };

export type PreviewHit = { deviceId: DeviceId, device: string, 
/**
 * The interface or row; empty for the device as a whole.
 */
instance: string, value: number, severity: Severity, 
/**
 * When the sample was taken.
 */
at: string, };

export type SnmpIdentityView = { sysName: string | null, sysDescr: string | null, sysObjectId: string | null, identifiedAt: string, };

export type Channel = { name: string, enabled: boolean, kind: ChannelKind, rateLimit: RateLimit, };

export type ChannelKind = { "type": "email" } & EmailChannel | { "type": "webhook" } & WebhookChannel | { "type": "desktop" };

export type EmailChannel = { host: string, port: number, security: SmtpSecurity, from: string, to: Array<string>, username: string | null, 
/**
 * The vault key of the SMTP password; set by the service, never the
 * password itself.
 */
passwordRef: string | null, 
/**
 * A PEM file of extra CA certificates trusted for this server's
 * certificate, on top of the system's (a private relay's own CA). Only
 * the path is stored; the file is read at each send.
 */
caFile: string | null, };

export type SmtpSecurity = "starttls" | "tls" | "plain";

export type WebhookChannel = { 
/**
 * As given, the full URL. As stored, only what [`redact_url`] keeps
 * (scheme, host and port): Slack and Teams carry their token in the
 * path, so the full URL lives in the vault under `url_ref`.
 */
url: string, flavour: WebhookFlavour, 
/**
 * The vault key of the HMAC-SHA256 key that signs each body
 * (`X-Meridian-Signature: sha256=<hex>`); none sends unsigned.
 */
secretRef: string | null, 
/**
 * The vault key of the full URL; set by the service. A channel stored
 * without one (before URLs moved to the vault) sends to `url`.
 */
urlRef: string | null, };

export type WebhookFlavour = "generic" | "slack" | "teams";

export type RateLimit = { perMinute: number, burst: number, };

export type Route = { name: string, enabled: boolean, channel: string, 
/**
 * The least severe alarm that matches (critical is the most severe).
 */
minSeverity: Severity, 
/**
 * Site names; empty matches every site (and devices without one).
 */
sites: Array<string>, 
/**
 * Device tags, any of; empty matches every device.
 */
tags: Array<string>, 
/**
 * Specific problems, e.g. `rule:<id>` for one alarm rule or `icmpNoReply`;
 * empty matches every problem.
 */
problems: Array<string>, 
/**
 * None: every match is sent at once. Some(n): critical alarms still
 * go at once, the rest are batched into one message every n minutes.
 */
digestMinutes: number | null, escalate: Escalation | null, };

export type Escalation = { 
/**
 * Seconds an alarm may stay active and unacknowledged first.
 */
afterSecs: number, 
/**
 * The channel told then.
 */
channel: string, };

export type ChannelInput = { channel: Channel, 
/**
 * E-mail: the SMTP password.
 */
password: string | null, 
/**
 * Webhook: the HMAC-SHA256 signing key.
 */
secret: string | null, };

export type ChannelView = { id: string, channel: Channel, updatedAt: string, };

export type RouteView = { id: string, route: Route, updatedAt: string, };

export type DeliveryLogEntry = { id: string, at: string, channel: string, alarmId: string | null, 
/**
 * immediate, digest, escalation or test.
 */
kind: string, attempt: number, 
/**
 * sent, failed (retried later), dead (gave up) or cancelled.
 */
outcome: string, 
/**
 * The HTTP status or SMTP reply code, when the peer answered.
 */
status: string | null, error: string | null, };

export type DeliveryLogFilter = { channel: string | null, alarmId: string | null, 
/**
 * Newest first; 100 when absent.
 */
limit: number | null, };

export type OutboxEntry = { channel: string, kind: string, 
/**
 * pending, failed (a retry is due), sent, dead or cancelled.
 */
state: string, attempts: number, nextAttemptAt: string, };

export type AlarmStep = "alarm.raise" | "alarm.hold" | "alarm.release" | "alarm.ack" | "alarm.clear" | "alarm.comment";

export type TimelineKind = "raised" | "suppressed" | "inMaintenance" | "flapping" | "released" | "severityChanged" | "acknowledged" | "comment" | "cleared";

export type TimelineEntry = { at: string, kind: TimelineKind, 
/**
 * Who: a user, or the monitor's own name.
 */
actor: string, severity: Severity | null, previous: Severity | null, related: AlarmId | null, window: string | null, 
/**
 * A comment's text.
 */
text: string | null, };

export type SyslogSeverity = "emergency" | "alert" | "critical" | "error" | "warning" | "notice" | "info" | "debug";

export type SyslogFormat = "rfc3164" | "rfc5424" | "malformed";

export type SdElement = { id: string, params: Array<SdParam>, };

export type SdParam = { name: string, value: string, };

export type SyslogEntry = { id: number, receivedAt: string, source: string, deviceId: DeviceId | null, deviceName: string | null, format: SyslogFormat, error: string | null, truncated: boolean, facility: number | null, severity: SyslogSeverity | null, 
/**
 * The sender's own timestamp, in UTC.
 */
deviceTime: string | null, host: string | null, app: string | null, procid: string | null, msgid: string | null, structuredData: Array<SdElement>, message: string, };

export type SyslogQuery = { 
/**
 * Words that must all occur in the message (full-text, not stemmed).
 */
text: string | null, device: DeviceId | null, 
/**
 * This severity or worse (numerically lower or equal).
 */
severity: SyslogSeverity | null, since: string | null, until: string | null, 
/**
 * At most this many (default 100, at most 10,000).
 */
limit: number | null, };

export type SyslogCounters = { 
/**
 * Messages read off a socket (datagrams or TCP frames).
 */
received: number, 
/**
 * Messages written to the store.
 */
stored: number, 
/**
 * Messages that did not parse (kept as raw text).
 */
malformed: number, 
/**
 * Messages cut at the size limit.
 */
truncated: number, 
/**
 * Messages lost because the writer fell behind (channel full) or the store refused them.
 */
dropped: number, 
/**
 * Rows removed by retention or the size cap.
 */
purged: number, };

export type SyslogStatus = { udp: string | null, tcp: string | null, tls: string | null, counters: SyslogCounters, };

export type TrapVersion = "v1" | "v2c" | "v3";

export type TrapPdu = "trap" | "inform" | "malformed";

export type TrapVarbind = { oid: string, type: string, value: string, name: string | null, 
/**
 * Events stored before MIBs were loaded have none.
 */
display?: string | null, };

export type MibTranslation = { 
/**
 * Dotted, without a leading dot.
 */
oid: string, 
/**
 * `MODULE::name` plus any instance arcs; `None` when no module names it.
 */
name: string | null, };

export type MibEnum = { value: number, label: string, };

export type MibObject = { oid: string, name: string, module: string | null, 
/**
 * `scalar`, `table`, `row`, `column`, `notification`, `group`, `node`, ...
 */
kind: string, 
/**
 * The type as written (`DisplayString`, `INTEGER`, `IANAifType`).
 */
syntax: string | null, 
/**
 * The SMI base type under any textual convention (`OCTET STRING`).
 */
baseType: string | null, 
/**
 * The display hint the value is shown with (`255a`, `1x:`).
 */
displayHint: string | null, access: string | null, status: string | null, units: string | null, description: string, enums: Array<MibEnum>, 
/**
 * A row's INDEX objects.
 */
indexes: Array<string>, 
/**
 * A notification's OBJECTS (varbinds).
 */
objects: Array<string>, 
/**
 * How many children the node has in the tree (the browser expands it).
 */
children: number, };

export type MibTreeNode = { oid: string, name: string, module: string | null, kind: string, children: number, };

export type MibModuleInfo = { name: string, 
/**
 * `shipped` for the modules built into Meridian, else the file's path.
 */
source: string, };

export type MibLoadError = { file: string, line: number | null, column: number | null, message: string, };

export type MibReport = { modules: Array<MibModuleInfo>, errors: Array<MibLoadError>, };

export type TrapEvent = { id: string, receivedAt: string, sourceAddr: string, sourcePort: number, 
/**
 * `None` for a datagram too broken to say.
 */
version: TrapVersion | null, pdu: TrapPdu, 
/**
 * v3: the USM user name.
 */
user: string | null, 
/**
 * v1/v2c: whether the community was one of the configured ones.
 */
communityMatched: boolean | null, 
/**
 * v3: the engine id, hex.
 */
engineId: string | null, trapOid: string | null, trapName: string | null, uptime: number | null, varbinds: Array<TrapVarbind>, deviceId: DeviceId | null, 
/**
 * The matched device's name (read back from the inventory).
 */
deviceName: string | null, 
/**
 * Malformed only: the datagram, hex, and why it did not decode.
 */
rawHex: string | null, error: string | null, };

export type TrapSettings = { 
/**
 * UDP port the monitor receives on; none: the monitor runs no receiver
 * unless `--trap-port` is given. 162 is the standard port.
 */
port: number | null, 
/**
 * Credentials (by name or id) whose community or USM user is accepted,
 * besides those of managed devices.
 */
credentials: Array<TrapCredential>, 
/**
 * Days events are kept (default 30).
 */
retentionDays: number | null, 
/**
 * Most events kept, the oldest purged first (default 1,000,000).
 */
maxRows: number | null, };

export type TrapCredential = { credential: string, engineId: string | null, };

export type EventRule = { name: string, enabled: boolean, severity: Severity, scope: RuleScope, 
/**
 * What raises the alarm.
 */
raise: EventMatch, 
/**
 * What clears it (the same kind of event, giving the same key).
 */
clear: EventMatch | null, 
/**
 * Traps: the varbind (a name such as `ifIndex`, or a numeric OID
 * prefix) whose value keys the alarm. Syslog keys by the `key` group.
 */
keyVarbind: string | null, };

export type EventMatch = { "kind": "trap", 
/**
 * The notification: numeric (`1.3.6.1.4.1.9.9.41.2.0.1`) or a known name (`linkDown`).
 */
oid: string, 
/**
 * Varbinds that must be present with these values.
 */
varbinds: Array<VarbindMatch>, } | { "kind": "syslog", 
/**
 * This severity or worse.
 */
severity: SyslogSeverity | null, 
/**
 * The app name (RFC 5424 APP-NAME, RFC 3164 TAG), exactly.
 */
app: string | null, 
/**
 * A regular expression the message text must match.
 */
pattern: string | null, };

export type VarbindMatch = { 
/**
 * A name (`ifAdminStatus`) or numeric OID prefix.
 */
name: string, value: string, };

export type EventRuleView = { id: string, updatedAt: string, name: string, enabled: boolean, severity: Severity, scope: RuleScope, 
/**
 * What raises the alarm.
 */
raise: EventMatch, 
/**
 * What clears it (the same kind of event, giving the same key).
 */
clear: EventMatch | null, 
/**
 * Traps: the varbind (a name such as `ifIndex`, or a numeric OID
 * prefix) whose value keys the alarm. Syslog keys by the `key` group.
 */
keyVarbind: string | null, };

export type ForwardTarget = { name: string, enabled: boolean, kind: ForwardKind, 
/**
 * Changes of alarms this severe or worse are sent; clears follow
 * the severity the alarm had.
 */
minSeverity: Severity, };

export type ForwardKind = { "type": "snmp_trap", address: string, port: number, communityRef: string | null, user?: string, } | { "type": "syslog", address: string, port: number, transport: SyslogTransport, 
/**
 * TLS only: a PEM file of the CA certificates to trust instead of
 * the system's.
 */
caFile: string | null, 
/**
 * TLS only: the name the receiver's certificate must carry (default:
 * its address, which the certificate then lists as an IP).
 */
serverName: string | null, 
/**
 * TLS only: a PEM certificate (leaf first) that Meridian presents
 * when the receiver asks for one (RFC 5425 mutual authentication),
 * with `keyFile`, its PEM private key. Paths, not contents: the key
 * stays in a file the operator protects and never enters the store.
 */
certFile?: string, keyFile?: string, };

export type SyslogTransport = "tcp" | "udp" | "tls";

export type ForwardTargetView = { id: string, name: string, enabled: boolean, kind: ForwardKind, 
/**
 * Changes of alarms this severe or worse are sent; clears follow
 * the severity the alarm had.
 */
minSeverity: Severity, };

export type Role = "admin" | "operator" | "technician" | "viewer";

export type Action = "read" | "edit_inventory" | "ack_alarm" | "clear_alarm" | "comment_alarm" | "manage_users" | "read_audit" | "own_tokens";

export type SiteScope = { "kind": "all" } | { "kind": "only", "sites": Array<SiteId> };

export type Actor = { userId: string | null, name: string, role: Role, sites: SiteScope, };

export type UserView = { id: string, name: string, role: Role, allSites: boolean, sites: Array<SiteId>, locked: boolean, failedLogins: number, createdAt: string, version: number, };

export type UserInput = { name: string, password: string, role: Role, allSites: boolean, 
/**
 * Site names or ids.
 */
sites: Array<string>, };

export type UserPatch = { role: Role | null, allSites: boolean | null, sites: Array<string> | null, password: string | null, unlock: boolean, lock: boolean, };

export type LoginRequest = { name: string, password: string, };

export type LoginOutcome = { csrfToken: string, user: UserView, expiresAt: string, };

export type TokenInput = { name: string, 
/**
 * Defaults to the caller's role; must be within it.
 */
role: Role | null, 
/**
 * 1 to the server's maximum (365 by default); default 90.
 */
expiresInDays: number | null, };

export type TokenView = { id: string, name: string, owner: string, role: Role, createdAt: string, expiresAt: string, revoked: boolean, lastUsedAt: string | null, };

export type TokenCreated = { token: TokenView, secret: string, };

export type AuditEntry = { 
/**
 * 0 until written.
 */
id: number, at: string, actor: string, actorId: string | null, 
/**
 * The caller's address, or `local` for the desktop and CLI.
 */
source: string, 
/**
 * e.g. `login`, `login.failed`, `device.add`, `alarm.ack`, `user.role`.
 */
action: string, entity: string, entityId: string, siteId: string | null, before: unknown, after: unknown, };

export type AuditFilter = { actor: string | null, action: string | null, entity: string | null, entityId: string | null, since: string | null, until: string | null, limit: number | null, };

export type AlarmQuery = { active: boolean | null, limit: number | null, };

export type AckInput = { comment: string | null, };

export type CommentInput = { text: string, };

/** Meridian's own specific problems in words (meridian-core alarm_words::PROBLEMS). */
export const PROBLEM_WORDS: Readonly<Record<string, string>> = {
  "icmpNoReply": "No reply to ping",
  "snmpNoResponse": "SNMP agent not responding",
  "linkDown": "Interface down",
  "sysUpTimeReset": "Rebooted",
  "neighbourLinkDown": "Link down",
  "ptpLossOfSync": "PTP: not synchronised to a grandmaster",
  "ptpOffsetExceeded": "PTP: offset from master too large",
  "ptpGrandmasterHoldover": "PTP: grandmaster in holdover",
  "ptpGrandmasterDegraded": "PTP: grandmaster out of holdover specification",
  "ptpUnreachable": "PTP clock not answering management",
  "ntpUnreachable": "NTP server unreachable",
  "ntpUnsynchronised": "NTP server not synchronised",
  "ntpOffsetExceeded": "NTP: offset too large",
  "ntpLeapAnnounced": "NTP: leap second announced",
};

/** Known X.733 probable causes in words (meridian-core alarm_words::CAUSES). */
export const CAUSE_WORDS: Readonly<Record<string, string>> = {
  "communicationsSubsystemFailure": "Communication failure",
  "applicationSubsystemFailure": "Application failure",
  "lossOfSignal": "Loss of signal",
  "reinitialized": "Restarted",
  "linkFailure": "Link failure",
  "powerProblem": "Power problem",
  "temperatureUnacceptable": "Temperature out of range",
  "thresholdCrossed": "Threshold crossed",
  "equipmentMalfunction": "Equipment malfunction",
  "softwareError": "Software error",
  "outOfMemory": "Out of memory",
  "cpuCyclesLimitExceeded": "CPU overloaded",
};

/** meridian-core fault::FLAPPING_PREFIX */
export const FLAPPING_PREFIX = "flapping:";
