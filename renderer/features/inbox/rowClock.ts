import type { InboxRow } from '../../../shared/contract';
import { type Urgency, urgency } from '../../../shared/message';
import { countdownParts, formatDeadlineTime, formatDuration } from '../../i18n/format';

/**
 * What a row's status chip shows at `now` (the platform's time), as flat fields: the chip
 * re-renders when this changes (ui/useNow usePlatformClock), so once a minute for a
 * countdown, at once when a deadline or a snooze passes, never for a decided message.
 */
export type RowClockView =
  | { kind: 'freeLate' }
  | { kind: 'missed' }
  | { kind: 'acceptWaiting'; time: string }
  | { kind: 'refundWaiting' }
  | { kind: 'decided' }
  | { kind: 'snoozed'; time: string }
  | { kind: 'countdown'; level: Urgency; major: string; minor: string | null; minorYields: boolean; spoken: string };

type ClockFields = Pick<InboxRow, 'status' | 'free' | 'deadline' | 'pendingDecision' | 'snoozedUntil'>;

export function rowClockView(row: ClockFields, now: number, locale: string): RowClockView {
  // A free pass holds no money, so its deadline closes nothing: only the asked time has passed.
  if (row.status === 'pending' && row.free && row.deadline <= now && !row.pendingDecision) return { kind: 'freeLate' };
  // Past the deadline nothing queued can win any more: say so, whatever was waiting.
  if (row.status === 'pending' && !row.free && row.deadline <= now) return { kind: 'missed' };
  if (row.pendingDecision === 'accept') {
    return { kind: 'acceptWaiting', time: formatDeadlineTime(row.deadline, now, locale) };
  }
  if (row.pendingDecision) return { kind: 'refundWaiting' };
  if (row.status !== 'pending') return { kind: 'decided' };
  if (row.snoozedUntil && row.snoozedUntil > now) {
    return { kind: 'snoozed', time: formatDeadlineTime(row.snoozedUntil, now, locale) };
  }
  const left = row.deadline - now;
  const { major, minor, minorYields } = countdownParts(left, locale);
  return {
    kind: 'countdown',
    level: urgency(row.deadline, now),
    major,
    minor,
    minorYields,
    spoken: formatDuration(left, locale),
  };
}
