import { describe, expect, it } from 'vitest';
import {
  BINDINGS,
  bindingsFor,
  COMMANDS,
  type Command,
  commandFor,
  describeBinding,
  isSequenceStart,
  type KeyLike,
  MENU_COMMANDS,
} from '../../../renderer/state/keymap';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('keyboard map', () => {
  it('maps the triage keys', () => {
    const plain = ['j', 'k', 'Enter', 'a', 'r', 'e', 's', 'l', 'h', 'x', '/'];
    expect(plain.map((k) => commandFor(key(k), false, false))).toEqual([
      ...['next', 'previous', 'open', 'accept', 'reply', 'archive'],
      ...['star', 'label', 'snooze', 'select', 'search'],
    ]);
    expect(commandFor(key('R', { shiftKey: true }), false, false)).toBe('refund');
    expect(commandFor(key('?', { shiftKey: true }), false, false)).toBe('shortcuts');
  });

  it('uses Cmd on macOS and Ctrl elsewhere for the palette', () => {
    expect(commandFor(key('k', { metaKey: true }), true, false)).toBe('palette');
    expect(commandFor(key('k', { ctrlKey: true }), false, false)).toBe('palette');
    // The other platform's modifier is not a shortcut (Ctrl+K on a Mac, Win+K on Windows).
    expect(commandFor(key('k', { ctrlKey: true }), true, false)).toBeNull();
    expect(commandFor(key('k', { metaKey: true }), false, false)).toBeNull();
  });

  it('leaves letters to text fields but keeps the palette and Escape working there', () => {
    expect(commandFor(key('a'), false, true)).toBeNull();
    expect(commandFor(key('j'), false, true)).toBeNull();
    expect(commandFor(key('k', { ctrlKey: true }), false, true)).toBe('palette');
    expect(commandFor(key('Escape'), false, true)).toBe('clearSelection');
  });

  it('ignores Alt combinations (they type characters on many layouts)', () => {
    expect(commandFor(key('a', { altKey: true }), false, false)).toBeNull();
  });

  it('gives every key combination one command and every command a key', () => {
    // A screen's own keys (on: 'drafts') are a table of their own: A there approves a draft.
    const combos = BINDINGS.map(
      (b) => `${b.on ?? ''}|${b.after ?? ''}|${b.key.toLowerCase()}|${Boolean(b.shift)}|${Boolean(b.mod)}`,
    );
    expect(new Set(combos).size).toBe(combos.length);
    // Menu-only commands (blocking a fan) have none, on purpose: no keystroke can start them.
    for (const command of COMMANDS)
      expect(
        BINDINGS.some((b) => b.command === command),
        command,
      ).toBe(!MENU_COMMANDS.has(command));
    expect([...MENU_COMMANDS].sort()).toEqual(['blockFan', 'unblockFan']);
  });

  it('reads the Drafts screen’s keys only when that screen asks, and the list’s keys never there', () => {
    expect(commandFor(key('a'), false, false)).toBe('accept');
    expect(commandFor(key('a'), false, false, null, 'drafts')).toBe('approveDraft');
    expect(commandFor(key('e'), false, false, null, 'drafts')).toBe('editDraft');
    expect(commandFor(key('b'), false, false, null, 'drafts')).toBe('sendBackDraft');
    expect(commandFor(key('b'), false, false)).toBeNull();
    expect(commandFor(key('r'), false, false, null, 'drafts')).toBeNull();
    // Typing a comment in the screen's text box runs nothing.
    expect(commandFor(key('a'), false, true, null, 'drafts')).toBeNull();
    expect(commandFor(key('d'), false, false, 'g')).toBe('goDrafts');
    expect(commandFor(key('d'), false, false)).toBe('draftReply');
  });

  it('moves between drafts with exactly the keys that move along the list', () => {
    const keysOf = (command: string) => bindingsFor(command as Command).map((b) => b.key);
    expect(keysOf('nextDraft')).toEqual(keysOf('next'));
    expect(keysOf('previousDraft')).toEqual(keysOf('previous'));
    for (const k of ['j', 'ArrowDown']) expect(commandFor(key(k), false, false, null, 'drafts')).toBe('nextDraft');
    for (const k of ['k', 'ArrowUp']) expect(commandFor(key(k), false, false, null, 'drafts')).toBe('previousDraft');
  });

  it('runs G-sequences only right after G, and plain keys only without it', () => {
    expect(isSequenceStart(key('g'), false)).toBe(true);
    expect(isSequenceStart(key('g'), true)).toBe(false);
    expect(isSequenceStart(key('G', { shiftKey: true }), false)).toBe(false);
    expect(commandFor(key('e'), false, false, 'g')).toBe('goEarnings');
    expect(commandFor(key('t'), false, false, 'g')).toBe('goTeam');
    expect(commandFor(key('a'), false, false, 'g')).toBe('goAudit');
    expect(commandFor(key('s'), false, false, 'g')).toBe('goInboxSettings');
    expect(commandFor(key('i'), false, false, 'g')).toBe('goInbox');
    // Without the prefix the same letters keep their triage meaning…
    expect(commandFor(key('e'), false, false)).toBe('archive');
    expect(commandFor(key('a'), false, false)).toBe('accept');
    // …and after it, a key that starts no sequence does nothing (G then J is not "next").
    expect(commandFor(key('j'), false, false, 'g')).toBeNull();
  });

  it('steps through views with [ and ], and goes back and forward with the modifier', () => {
    expect(commandFor(key(']'), false, false)).toBe('nextView');
    expect(commandFor(key('['), false, false)).toBe('previousView');
    expect(commandFor(key('[', { metaKey: true }), true, false)).toBe('goBack');
    expect(commandFor(key(']', { ctrlKey: true }), false, false)).toBe('goForward');
  });

  it('writes bindings the way each platform does', () => {
    const palette = BINDINGS.find((b) => b.command === 'palette');
    expect(palette && describeBinding(palette, true)).toEqual(['⌘', 'K']);
    expect(palette && describeBinding(palette, false)).toEqual(['Ctrl', 'K']);
    const refund = BINDINGS.find((b) => b.command === 'refund');
    expect(refund && describeBinding(refund, false)).toEqual(['Shift', 'R']);
    const earnings = BINDINGS.find((b) => b.command === 'goEarnings');
    expect(earnings && describeBinding(earnings, false)).toEqual(['G', 'E']);
  });
});
