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

export type DeviceKind = "router" | "switch" | "firewall" | "wireless" | "server" | "ups" | "printer" | "camera" | "storage" | "unknown";

export type DeviceInput = { name: string, address: string, kind: string | null, vendor: string | null, model: string | null, os: string | null, site: string | null, lat: number | null, lon: number | null, tags: Array<string>, credential: string | null, snmpPort: number | null, enabled: boolean | null, };

export type DevicePatch = { name: string | null, address: string | null, kind: string | null, vendor: string | null, model: string | null, os: string | null, site: string | null, lat: number | null, lon: number | null, clearLocation: boolean, tags: Array<string> | null, credential: string | null, snmpPort: number | null, enabled: boolean | null, };

export type Site = { id: SiteId, name: string, lat: number | null, lon: number | null, hasFloorPlan: boolean, deviceCount: number, createdAt: string, updatedAt: string, version: number, };

export type SiteInput = { name: string, lat: number | null, lon: number | null, };

export type CredentialSummary = { id: CredentialId, name: string, version: SnmpVersion, user: string | null, authProto: AuthProtocol | null, privProto: PrivProtocol | null, 
/**
 * Where the secret lives: "keyring" or "encrypted-file".
 */
backend: string, createdAt: string, };

export type SnmpVersion = "v1" | "v2c" | "v3";

export type AuthProtocol = "MD5" | "SHA-1" | "SHA-224" | "SHA-256" | "SHA-384" | "SHA-512";

export type PrivProtocol = "DES" | "AES-128" | "AES-192" | "AES-256";

export type UsmInput = { name: string, user: string, authProto: string | null, authPass: string | null, privProto: string | null, privPass: string | null, };

export type ApiError = { kind: ApiErrorKind, detail: string, fields: Array<FieldError>, };

export type ApiErrorKind = "validation" | "not_found" | "conflict" | "in_use" | "schema" | "store" | "vault" | "network" | "permission" | "internal";

export type FieldError = { field: string, message: string, };

export type CoreEvent = { "type": "inventoryChanged", entity: string, id: string, action: string, } | { "type": "deviceStateChanged", deviceId: DeviceId, name: string, from: DeviceState, to: DeviceState, at: string, } | { "type": "alarmRaised", alarm: Alarm, } | { "type": "alarmCleared", alarm: Alarm, } | { "type": "alarmAcknowledged", alarm: Alarm, };

export type DeviceState = "unknown" | "up" | "degraded" | "down";

export type DeviceLive = { deviceId: DeviceId, state: DeviceState, 
/**
 * Average RTT of the last successful ICMP poll, in milliseconds.
 */
rttMs: number | null, lossPct: number | null, 
/**
 * Last time the device answered anything.
 */
lastSeen: string | null, lastPoll: string | null, };

export type Alarm = { id: AlarmId, deviceId: DeviceId | null, managedObject: string, eventType: EventType, probableCause: string, specificProblem: string, perceivedSeverity: Severity, additionalText: string, raisedAt: string, clearedAt: string | null, ackedAt: string | null, ackedBy: string | null, ackComment: string | null, 
/**
 * Bumped on every change; later sync uses it for conflict detection.
 */
version: number, };

export type AlarmId = string;

export type AlarmComment = { alarmId: AlarmId, at: string, by: string, text: string, };

export type EventType = "communications" | "quality_of_service" | "processing_error" | "equipment" | "environmental";

export type Severity = "critical" | "major" | "minor" | "warning" | "indeterminate" | "cleared";
