import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangeAnnouncer, MAX_EVENT_IDS } from '../../../electron/core/services/change-announcer';
import type { EntityKind } from '../../../electron/core/store/apply';

type Sent = { kinds: EntityKind[]; inboxId: string | null; messageIds: string[] | undefined };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function announcer(everyMs = 500) {
  const sent: Sent[] = [];
  const changes = new ChangeAnnouncer(
    (kinds, inboxId, messageIds) => sent.push({ kinds: kinds.sort(), inboxId, messageIds: messageIds?.sort() }),
    everyMs,
  );
  return { sent, changes };
}

describe('ChangeAnnouncer', () => {
  it("announces a bootstrap's first slice at once and the following ones together, once per interval", () => {
    const { sent, changes } = announcer();
    changes.later('inbox-1', ['message', 'counts'], ['m1']);
    expect(sent).toEqual([{ kinds: ['counts', 'message'], inboxId: 'inbox-1', messageIds: ['m1'] }]);
    // A slice every 8 ms for most of an interval: nothing more until it has passed, then all of it in one.
    const slices = 61;
    for (let i = 0; i < slices; i++) {
      changes.later('inbox-1', i === 30 ? ['earnings'] : ['message'], [`m${i + 2}`]);
      vi.advanceTimersByTime(8);
    }
    vi.advanceTimersByTime(500 - slices * 8 - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.kinds).toEqual(['earnings', 'message']);
    expect(sent[1]?.messageIds).toHaveLength(61);
    // Quiet for an interval: the next slice goes out at once again.
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
    changes.later('inbox-1', ['message'], ['m99']);
    expect(sent).toHaveLength(3);
  });

  it('announces a live change at once, with what its inbox had waiting, and leaves other inboxes waiting', () => {
    const { sent, changes } = announcer();
    changes.later('bootstrapping', ['message'], ['b1']);
    changes.later('bootstrapping', ['message'], ['b2']);
    changes.later('live', ['message'], ['l1']);
    expect(sent.map((s) => s.messageIds)).toEqual([['b1']]);
    changes.now('live', ['thread'], ['l2']);
    expect(sent[1]).toEqual({ kinds: ['message', 'thread'], inboxId: 'live', messageIds: ['l1', 'l2'] });
    expect(sent).toHaveLength(2);
    // The end of a bootstrap goes out at once, with everything of its inbox still held.
    changes.now('bootstrapping', ['earnings'], []);
    expect(sent[2]).toEqual({ kinds: ['earnings', 'message'], inboxId: 'bootstrapping', messageIds: ['b2'] });
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(3);
  });

  it('names no message once more changed than an event can carry (every message may have changed)', () => {
    const { sent, changes } = announcer();
    changes.later('inbox-1', ['message'], ['first']);
    const many = Array.from({ length: MAX_EVENT_IDS }, (_, i) => `m${i}`);
    changes.later('inbox-1', ['message'], many.slice(0, 600));
    changes.later('inbox-1', ['message'], many.slice(600));
    changes.later('inbox-1', ['thread'], ['one-more']);
    vi.advanceTimersByTime(500);
    expect(sent[1]).toEqual({ kinds: ['message', 'thread'], inboxId: 'inbox-1', messageIds: undefined });
  });

  it('sends what waits when the session stops, and nothing after', () => {
    const { sent, changes } = announcer();
    changes.later('inbox-1', ['message'], ['m1']);
    changes.later('inbox-1', ['message'], ['m2']);
    changes.flush();
    expect(sent.map((s) => s.messageIds)).toEqual([['m1'], ['m2']]);
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(2);
  });
});
