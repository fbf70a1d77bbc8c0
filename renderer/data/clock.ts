/**
 * The platform's time as this device best knows it. Deadlines are judged by the
 * platform's clock, so every "time left", "missed" and enabled action is computed from
 * `platformNow()`, never from the device clock alone. The offset is measured by the core
 * from the platform's answers and arrives with the sync status.
 */
let offsetMs = 0;

export function setPlatformClockOffset(ms: number): void {
  offsetMs = Number.isFinite(ms) ? ms : 0;
}

export function platformNow(deviceNow: number = Date.now()): number {
  return deviceNow + offsetMs;
}
