import { describe, expect, it } from 'vitest';
import type { Command } from '../../../renderer/state/keymap';
import { BURST_MS, createTypingGuard, type GuardDecision, SETTLE_MS } from '../../../renderer/state/typingGuard';

/** Feeds keys at given times; returns what ran (after deferral) and what was told. */
function play(keys: { at: number; command: Command | null; printable?: boolean; deliberate?: boolean }[]) {
  const guard = createTypingGuard();
  const ran: Command[] = [];
  let pending: { command: Command; at: number } | null = null;
  let told = 0;
  for (const key of keys) {
    if (pending && key.at >= pending.at) {
      ran.push(pending.command);
      guard.settle();
      pending = null;
    }
    const { decision, cancelled } = guard.onKey({
      at: key.at,
      printable: key.printable ?? true,
      command: key.command,
      deliberate: key.deliberate ?? false,
    });
    if (cancelled) pending = null;
    const d = decision as GuardDecision | null;
    if (d?.kind === 'run' && key.command) ran.push(key.command);
    if (d?.kind === 'defer' && key.command) pending = { command: key.command, at: key.at + d.ms };
    if ((d?.kind === 'suppress' && d.firstInBurst) || (cancelled && !d)) told++;
  }
  if (pending) ran.push(pending.command);
  return { ran, told };
}

describe('typing guard', () => {
  it('runs a lone accept after the burst window', () => {
    expect(play([{ at: 0, command: 'accept' }])).toEqual({ ran: ['accept'], told: 0 });
  });

  it('runs nothing from a sentence typed fast or at a person’s pace, and tells once', () => {
    // "ha sea" : h=snooze, a=accept, space, s=star, e=archive, a=accept
    const word: (Command | null)[] = ['snooze', 'accept', null, 'star', 'archive', 'accept'];
    for (const gap of [5, 70, 150, BURST_MS - 1]) {
      const out = play(word.map((command, i) => ({ at: 1000 + i * gap, command })));
      expect(out.ran).toEqual([]);
      expect(out.told).toBe(1);
    }
  });

  it('cancels an accept when another key follows it within the window', () => {
    expect(
      play([
        { at: 0, command: 'accept' },
        { at: 120, command: null },
      ]).ran,
    ).toEqual([]);
  });

  it('keeps navigation fast: held j repeats, and j then a at once still accepts', () => {
    const held = Array.from({ length: 10 }, (_, i) => ({ at: i * 30, command: 'next' as Command }));
    expect(play(held).ran).toHaveLength(10);
    expect(
      play([
        { at: 0, command: 'next' },
        { at: 40, command: 'accept' },
      ]).ran,
    ).toEqual(['next', 'accept']);
  });

  it('deliberate keys (Escape, Ctrl/Cmd shortcuts) run even mid-burst', () => {
    const out = play([
      { at: 0, command: null },
      { at: 20, command: 'palette', printable: false, deliberate: true },
    ]);
    expect(out.ran).toEqual(['palette']);
  });

  it('a pause between words inside a sentence does not end the burst', () => {
    const typed = [null, null, null, null].map((command, i) => ({ at: i * 80, command }));
    const out = play([...typed, { at: 240 + 700, command: 'accept' as Command }, { at: 940 + 60, command: null }]);
    expect(out.ran).toEqual([]);
    const later = play([...typed, { at: 240 + SETTLE_MS + 10, command: 'star' as Command }]);
    expect(later.ran).toEqual(['star']);
  });

  it('a shortcut after a quiet pause runs again', () => {
    const out = play([
      { at: 0, command: null },
      { at: 50, command: 'star' },
      { at: 50 + BURST_MS + 10, command: 'star' },
    ]);
    expect(out.ran).toEqual(['star']);
  });
});
