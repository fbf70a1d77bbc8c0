/**
 * A paid message's money state, as data and pure functions.
 *
 *             accept (before deadline)
 *  pending ─────────────────────────────▶ accepted ──(reply, any time)──▶ accepted
 *     │  refund (any time before decision)
 *     ├─────────────────────────────────▶ refunded
 *     │  deadline passes, no decision
 *     └─────────────────────────────────▶ expired   (refunded by the platform)
 *
 * Triage state (read, star, labels, …) moves no money and is not modelled here.
 */

export const MESSAGE_STATUSES = ['pending', 'accepted', 'refunded', 'expired'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const MESSAGE_ACTIONS = ['accept', 'refund', 'expire', 'reply'] as const;
export type MessageAction = (typeof MESSAGE_ACTIONS)[number];

/** Why an action is not allowed: stable codes the server sends and the client shows. */
export type TransitionRefusal = 'already_decided' | 'deadline_passed' | 'deadline_not_reached' | 'not_accepted';

export type TransitionResult =
  | { readonly ok: true; readonly next: MessageStatus }
  | { readonly ok: false; readonly reason: TransitionRefusal };

export interface Clocked {
  /** Milliseconds since the epoch, by the platform's clock. */
  readonly now: number;
  readonly deadline: number;
  /**
   * Sent on a free pass (#18): nothing is held, so the deadline is only the answer time
   * asked for — the message can still be answered or declined after it, and never expires.
   */
  readonly free?: boolean;
}

export function isDecided(status: MessageStatus): boolean {
  return status !== 'pending';
}

/** Whether the payment was given back to the fan. */
export function isRefunded(status: MessageStatus): boolean {
  return status === 'refunded' || status === 'expired';
}

/**
 * The one rule for what each action does in each state. The deadline is inclusive for
 * the platform: at `now === deadline` the window is closed and only expiry applies.
 */
export function transition(status: MessageStatus, action: MessageAction, clock: Clocked): TransitionResult {
  const open = clock.free === true || clock.now < clock.deadline;
  switch (action) {
    case 'accept':
      if (status !== 'pending') return { ok: false, reason: 'already_decided' };
      return open ? { ok: true, next: 'accepted' } : { ok: false, reason: 'deadline_passed' };
    case 'refund':
      if (status !== 'pending') return { ok: false, reason: 'already_decided' };
      return { ok: true, next: 'refunded' };
    case 'expire':
      if (status !== 'pending') return { ok: false, reason: 'already_decided' };
      // Expiry gives the fan's money back; a free message holds none, so it waits for an answer.
      if (clock.free) return { ok: false, reason: 'deadline_not_reached' };
      return open ? { ok: false, reason: 'deadline_not_reached' } : { ok: true, next: 'expired' };
    case 'reply':
      return status === 'accepted' ? { ok: true, next: 'accepted' } : { ok: false, reason: 'not_accepted' };
  }
}

export function canApply(status: MessageStatus, action: MessageAction, clock: Clocked): boolean {
  return transition(status, action, clock).ok;
}
