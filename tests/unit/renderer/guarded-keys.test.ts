import { describe, expect, it, vi } from 'vitest';
import { createGuardedKeys, type GuardedOutcome, isPrintable } from '../../../renderer/state/guardedKeys';
import type { Command } from '../../../renderer/state/keymap';
import { createTypingGuard } from '../../../renderer/state/typingGuard';

/** Records what the helper asked the handler to do, key by key. */
function recorder() {
  const events: string[] = [];
  const outcome = (command: Command | null): GuardedOutcome => ({
    run: () => events.push(`run ${command}`),
    runLater: () => events.push(`later ${command}`),
    tellTyping: () => events.push('tell'),
    keepTelling: () => events.push('keep'),
  });
  return { events, outcome };
}

const BURST = 40;
const key = (at: number, command: Command | null, printable = true) => ({ at, command, printable, deliberate: false });

describe('guarded keys: the typing guard applied once for the list and the Drafts screen', () => {
  it('runs navigation at once and a guarded command only after the burst window', async () => {
    const keys = createGuardedKeys(createTypingGuard(BURST));
    const { events, outcome } = recorder();
    keys.onKey(key(0, 'next'), outcome('next'));
    expect(events).toEqual(['run next']);
    keys.onKey(key(1_000, 'approveDraft'), outcome('approveDraft'));
    expect(events).toEqual(['run next']);
    await vi.waitFor(() => expect(events).toEqual(['run next', 'later approveDraft']));
  });

  it('cancels a deferred command when another key follows it, tells once, and never runs it', async () => {
    const keys = createGuardedKeys(createTypingGuard(BURST));
    const { events, outcome } = recorder();
    keys.onKey(key(0, 'accept'), outcome('accept'));
    // A letter no command uses (a word is being typed): the accept was part of it.
    keys.onKey(key(10, null), outcome(null));
    keys.onKey(key(20, null), outcome(null));
    await new Promise((resolve) => setTimeout(resolve, BURST * 5));
    expect(events).toEqual(['tell', 'keep']);
  });

  it('swallows the shortcuts of a sentence: tells on the first, keeps the notice for the rest', () => {
    const keys = createGuardedKeys(createTypingGuard(BURST));
    const { events, outcome } = recorder();
    keys.onKey(key(0, null), outcome(null));
    keys.onKey(key(10, 'star'), outcome('star'));
    keys.onKey(key(20, 'archive'), outcome('archive'));
    expect(events).toEqual(['keep', 'tell', 'keep']);
  });

  it('drops a waiting command when the handler goes away', async () => {
    const keys = createGuardedKeys(createTypingGuard(BURST));
    const { events, outcome } = recorder();
    keys.onKey(key(0, 'approveDraft'), outcome('approveDraft'));
    keys.dispose();
    await new Promise((resolve) => setTimeout(resolve, BURST * 5));
    expect(events).toEqual([]);
  });

  it('counts one visible character or Enter, without Ctrl, Cmd or Alt, as typing', () => {
    const plain = { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
    expect(isPrintable({ ...plain, key: 'a' })).toBe(true);
    expect(isPrintable({ ...plain, key: 'A', shiftKey: true })).toBe(true);
    expect(isPrintable({ ...plain, key: 'Enter' })).toBe(true);
    expect(isPrintable({ ...plain, key: 'ArrowDown' })).toBe(false);
    expect(isPrintable({ ...plain, key: 'k', ctrlKey: true })).toBe(false);
    expect(isPrintable({ ...plain, key: 'k', metaKey: true })).toBe(false);
    expect(isPrintable({ ...plain, key: 'k', altKey: true })).toBe(false);
  });
});
