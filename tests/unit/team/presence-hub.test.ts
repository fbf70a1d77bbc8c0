import { describe, expect, it } from 'vitest';
import { PresenceHub } from '../../../server/services/presence';
import type { PresenceEntry } from '../../../shared/protocol';

function hub(ttlMs = 30_000) {
  let now = 1_000;
  const clock = { now: () => now };
  return { hub: new PresenceHub(clock, ttlMs), advance: (ms: number) => (now += ms) };
}

const sara = { userId: 'u-sara', name: 'Sara', sessionId: 's-1' };
const saraPhone = { userId: 'u-sara', name: 'Sara', sessionId: 's-2' };

describe('presence hub', () => {
  it('keeps one entry per device, replaced as the person moves, and tells listeners of changes only', () => {
    const { hub: h } = hub();
    const heard: PresenceEntry[][] = [];
    h.subscribe('inbox', (people) => heard.push(people));
    h.heartbeat('inbox', sara, 'm-1', 'viewing');
    h.heartbeat('inbox', sara, 'm-1', 'viewing'); // renewal: nothing new to say
    h.heartbeat('inbox', sara, 'm-2', 'replying');
    h.heartbeat('inbox', saraPhone, 'm-1', 'viewing');
    expect(heard.map((p) => p.map((e) => `${e.messageId}:${e.state}`))).toEqual([
      ['m-1:viewing'],
      ['m-2:replying'],
      ['m-1:viewing', 'm-2:replying'],
    ]);
    expect(h.list('other-inbox')).toEqual([]);
  });

  it('clearing an older message does not clear the one shown now', () => {
    const { hub: h } = hub();
    h.heartbeat('inbox', sara, 'm-2', 'replying');
    h.heartbeat('inbox', sara, 'm-1', null);
    expect(h.list('inbox').map((e) => e.messageId)).toEqual(['m-2']);
    h.heartbeat('inbox', sara, 'm-2', null);
    expect(h.list('inbox')).toEqual([]);
  });

  it('lets entries lapse without a heartbeat, and a sweep tells the listeners', () => {
    const { hub: h, advance } = hub(10_000);
    const heard: number[] = [];
    h.subscribe('inbox', (people) => heard.push(people.length));
    h.heartbeat('inbox', sara, 'm-1', 'viewing');
    advance(9_999);
    h.sweep();
    expect(h.list('inbox')).toHaveLength(1);
    advance(1);
    expect(h.list('inbox')).toHaveLength(0);
    h.sweep();
    expect(heard).toEqual([1, 0]);
  });

  it('forgets a person at once when their access ends', () => {
    const { hub: h } = hub();
    h.heartbeat('inbox', sara, 'm-1', 'viewing');
    h.heartbeat('inbox', saraPhone, 'm-2', 'viewing');
    h.heartbeat('inbox', { userId: 'u-omar', name: 'Omar', sessionId: 's-3' }, 'm-1', 'replying');
    h.forget('inbox', 'u-sara');
    expect(h.list('inbox').map((e) => e.name)).toEqual(['Omar']);
  });
});
