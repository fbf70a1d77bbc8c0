import { describe, expect, it } from 'vitest';
import {
  deadlineFor,
  HOUR_MS,
  MESSAGE_ACTIONS,
  MESSAGE_STATUSES,
  type MessageAction,
  type MessageStatus,
  moneyAtRiskScore,
  type TransitionResult,
  timeLeft,
  transition,
  urgency,
} from '../../../shared/message';

const deadline = 1_000_000;
const before = { now: deadline - 1, deadline };
const after = { now: deadline, deadline };

type Expected = Record<MessageStatus, Record<MessageAction, [TransitionResult, TransitionResult]>>;
const ok = (next: MessageStatus): TransitionResult => ({ ok: true, next });
const no = (reason: Extract<TransitionResult, { ok: false }>['reason']): TransitionResult => ({ ok: false, reason });

const always = (result: TransitionResult): [TransitionResult, TransitionResult] => [result, result];
// A decided message refuses every further decision, before and after the deadline alike.
const decided = {
  accept: always(no('already_decided')),
  refund: always(no('already_decided')),
  expire: always(no('already_decided')),
};

// Every (state, action) pair, before and at/after the deadline.
const table: Expected = {
  pending: {
    accept: [ok('accepted'), no('deadline_passed')],
    refund: always(ok('refunded')),
    expire: [no('deadline_not_reached'), ok('expired')],
    reply: always(no('not_accepted')),
  },
  accepted: { ...decided, reply: always(ok('accepted')) },
  refunded: { ...decided, reply: always(no('not_accepted')) },
  expired: { ...decided, reply: always(no('not_accepted')) },
};

describe('message state machine', () => {
  const cases = MESSAGE_STATUSES.flatMap((status) => MESSAGE_ACTIONS.map((action) => [status, action] as const));

  it('covers every (state, action) pair', () => {
    expect(cases).toHaveLength(16);
  });

  it.each(cases)('%s + %s', (status, action) => {
    const [expectedBefore, expectedAfter] = table[status][action];
    expect(transition(status, action, before)).toEqual(expectedBefore);
    expect(transition(status, action, after)).toEqual(expectedAfter);
  });

  it('a decided message never changes decision', () => {
    for (const status of MESSAGE_STATUSES.filter((s) => s !== 'pending')) {
      for (const action of MESSAGE_ACTIONS) {
        const result = transition(status, action, before);
        if (result.ok) expect(result.next).toBe(status);
      }
    }
  });
});

describe('deadlines', () => {
  it('adds the response window to the payment time', () => {
    expect(deadlineFor(1_000, 72 * HOUR_MS)).toBe(1_000 + 72 * HOUR_MS);
  });

  it('refuses windows outside 1 hour to 30 days', () => {
    expect(() => deadlineFor(0, HOUR_MS - 1)).toThrow(RangeError);
    expect(() => deadlineFor(0, 30 * 24 * HOUR_MS + 1)).toThrow(RangeError);
    expect(() => deadlineFor(0, 1.5 * HOUR_MS + 0.5)).toThrow(RangeError);
  });

  it('classifies urgency with one definition', () => {
    const now = 0;
    expect(urgency(now, now)).toBe('overdue');
    expect(urgency(6 * HOUR_MS, now)).toBe('critical');
    expect(urgency(6 * HOUR_MS + 1, now)).toBe('soon');
    expect(urgency(24 * HOUR_MS, now)).toBe('soon');
    expect(urgency(24 * HOUR_MS + 1, now)).toBe('normal');
    expect(timeLeft(10, 20)).toBe(0);
    expect(timeLeft(20, 10)).toBe(10);
  });

  it('ranks more money sooner as more at risk', () => {
    const now = 0;
    expect(moneyAtRiskScore(1000, 2 * HOUR_MS, now)).toBeGreaterThan(moneyAtRiskScore(1000, 20 * HOUR_MS, now));
    expect(moneyAtRiskScore(5000, 5 * HOUR_MS, now)).toBeGreaterThan(moneyAtRiskScore(1000, 5 * HOUR_MS, now));
    expect(moneyAtRiskScore(5000, now, now)).toBe(0);
  });
});
