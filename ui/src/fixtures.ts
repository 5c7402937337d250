// Test fixtures (not a test file itself, so importing it runs no tests).
import type { Alarm, CredentialSummary, Device } from "./generated/bindings";

let seq = 0;
export function alarm(overrides: Partial<Alarm> = {}): Alarm {
  seq += 1;
  return {
    id: `0192e4a0-0000-7000-8000-${String(seq).padStart(12, "0")}`,
    deviceId: "dev-1",
    managedObject: "device=r1",
    eventType: "communications",
    probableCause: "loss of signal",
    specificProblem: "device unreachable",
    perceivedSeverity: "major",
    additionalText: "",
    raisedAt: "2025-01-01T00:00:00Z",
    clearedAt: null,
    ackedAt: null,
    ackedBy: null,
    ackComment: null,
    version: 1,
    suppressedBy: null,
    maintenance: null,
    ...overrides,
  };
}

/** A device with every field filled; tests override what they look at. */
export function device(overrides: Partial<Device> = {}): Device {
  return {
    id: "dev-1",
    name: "r1",
    address: "127.0.0.1",
    kind: "router",
    vendor: null,
    model: null,
    os: null,
    siteId: null,
    siteName: null,
    lat: null,
    lon: null,
    tags: [],
    credentialId: null,
    credentialName: null,
    snmpPort: null,
    enabled: true,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    version: 1,
    ...overrides,
  };
}

export function credential(overrides: Partial<CredentialSummary> = {}): CredentialSummary {
  return {
    id: "cred-1",
    name: "lab-v2c",
    version: "v2c",
    user: null,
    authProto: null,
    privProto: null,
    backend: "encrypted-file",
    createdAt: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}
