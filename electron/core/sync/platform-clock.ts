/**
 * The platform's clock as seen from this device. Deadlines are set and enforced by the
 * platform, so a device whose clock is wrong by an hour must still say "missed" exactly when
 * the platform will expire the message. Each answer carries the platform's time
 * (PLATFORM_TIME_HEADER); the offset is estimated NTP-style from the answer with the
 * shortest round trip among the recent ones, since its midpoint is the least uncertain.
 */
const SAMPLES = 8;

interface Sample {
  offsetMs: number;
  roundTripMs: number;
}

/** A change smaller than this is measurement noise, not worth telling the screens about. */
const NOTICEABLE_MS = 500;

export class PlatformClock {
  private samples: Sample[] = [];
  /** Called when the estimate moves noticeably (the session re-sends its sync status). */
  onChange: (() => void) | null = null;

  /** One answer: the platform's time from its header, and when the request left and the answer came. */
  observe(header: string | null, sentAt: number, receivedAt: number): void {
    if (header === null) return;
    const platformTime = Number(header);
    if (!Number.isSafeInteger(platformTime) || platformTime <= 0 || receivedAt < sentAt) return;
    const before = this.offsetMs;
    const roundTripMs = receivedAt - sentAt;
    this.samples.push({ offsetMs: Math.round(platformTime - (sentAt + roundTripMs / 2)), roundTripMs });
    if (this.samples.length > SAMPLES) this.samples.shift();
    if (Math.abs(this.offsetMs - before) >= NOTICEABLE_MS) this.onChange?.();
  }

  /** Platform time minus device time, in ms; 0 until the platform has answered once. */
  get offsetMs(): number {
    let best: Sample | undefined;
    for (const sample of this.samples) if (!best || sample.roundTripMs < best.roundTripMs) best = sample;
    return best?.offsetMs ?? 0;
  }
}
