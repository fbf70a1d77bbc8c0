/**
 * Keyboard-first triage: one table from keys to commands, so the shortcut sheet, the
 * command palette and the key handler cannot disagree.
 */
/**
 * What each command is, declared once; the key handler, the palette, the refusal check and
 * the typing guard all read it:
 * - `row`: acts on a message row (the focused one or the selection), refused without one;
 * - `guarded`: a single key that changes something or opens a dialog, so it waits out a
 *   typing burst (see typingGuard);
 * - `global`: makes sense on every screen; the rest act on the inbox list and wait for it;
 * - `menu`: has no key at all, reached from a menu or the palette — blocking a fan is
 *   rare and not undone in a window, so no keystroke (or burst of typing) can start it.
 */
type Trait = 'row' | 'guarded' | 'global' | 'drafts' | 'menu';
const ROW: readonly Trait[] = ['row'];
const ROW_GUARDED: readonly Trait[] = ['row', 'guarded'];
const ROW_MENU: readonly Trait[] = ['row', 'menu'];
const GLOBAL: readonly Trait[] = ['global'];
const LIST: readonly Trait[] = [];
/** Keys of the Drafts to approve screen: they act on its focused draft, and nowhere else. */
const DRAFTS: readonly Trait[] = ['drafts'];
/** Approving a draft is a capture: it waits out a typing burst like Accept. */
const DRAFTS_GUARDED: readonly Trait[] = ['drafts', 'guarded'];

const COMMAND_TRAITS = {
  next: LIST,
  previous: LIST,
  open: ROW,
  accept: ROW_GUARDED,
  acceptReply: ROW,
  reply: ROW,
  refund: ROW_GUARDED,
  archive: ROW_GUARDED,
  star: ROW_GUARDED,
  toggleRead: ROW_GUARDED,
  label: ROW_GUARDED,
  snooze: ROW_GUARDED,
  assign: ROW_GUARDED,
  note: ROW,
  draftReply: ROW,
  blockFan: ROW_MENU,
  unblockFan: ROW_MENU,
  select: ROW,
  selectRangeDown: LIST,
  selectRangeUp: LIST,
  selectAll: LIST,
  clearSelection: GLOBAL,
  search: LIST,
  palette: GLOBAL,
  shortcuts: GLOBAL,
  undo: ['global', 'guarded'],
  settings: GLOBAL,
  toggleOrder: LIST,
  outbox: ['global', 'guarded'],
  nextView: LIST,
  previousView: LIST,
  goInbox: GLOBAL,
  goEarnings: GLOBAL,
  goTeam: GLOBAL,
  goAudit: GLOBAL,
  goInboxSettings: GLOBAL,
  goDrafts: GLOBAL,
  goBack: GLOBAL,
  goForward: GLOBAL,
  nextDraft: DRAFTS,
  previousDraft: DRAFTS,
  approveDraft: DRAFTS_GUARDED,
  editDraft: DRAFTS,
  sendBackDraft: DRAFTS,
} as const satisfies Record<string, readonly Trait[]>;

export type Command = keyof typeof COMMAND_TRAITS;
/** Every command, in the order the shortcut sheet and the palette list them. */
export const COMMANDS = Object.keys(COMMAND_TRAITS) as Command[];

function commandsThat(trait: Trait): ReadonlySet<Command> {
  return new Set(COMMANDS.filter((command) => (COMMAND_TRAITS[command] as readonly Trait[]).includes(trait)));
}
/** Commands that act on a message row: refused with nothing focused or selected. */
export const ROW_COMMANDS = commandsThat('row');
/** Single keys that change something or open a dialog: they wait out a typing burst. */
export const GUARDED_COMMANDS = commandsThat('guarded');
/** Commands of the Drafts screen: only its own key handler runs them, never the list's. */
export const DRAFT_COMMANDS = commandsThat('drafts');
/** Commands with no key: the palette and menus offer them, the shortcut sheet does not list them. */
export const MENU_COMMANDS = commandsThat('menu');

export interface KeyBinding {
  command: Command;
  key: string;
  shift?: boolean;
  /** Cmd on macOS, Ctrl elsewhere. */
  mod?: boolean;
  /** A two-key sequence: this key right after the prefix key (G then E goes to Earnings). */
  after?: typeof SEQUENCE_PREFIX;
  /** A key of one screen only (the Drafts screen), matched only when that screen asks. */
  on?: 'drafts';
}

/** The key that starts a "go to" sequence, as in Superhuman, Linear and Gmail. */
export const SEQUENCE_PREFIX = 'g';
/** How long after the prefix the second key still counts. */
export const SEQUENCE_WINDOW_MS = 1500;

const LIST_BINDINGS: readonly KeyBinding[] = [
  { command: 'next', key: 'j' },
  { command: 'next', key: 'ArrowDown' },
  { command: 'previous', key: 'k' },
  { command: 'previous', key: 'ArrowUp' },
  { command: 'open', key: 'Enter' },
  { command: 'accept', key: 'a' },
  { command: 'acceptReply', key: 'a', shift: true },
  { command: 'reply', key: 'r' },
  { command: 'refund', key: 'r', shift: true },
  { command: 'archive', key: 'e' },
  { command: 'star', key: 's' },
  { command: 'toggleRead', key: 'u' },
  { command: 'label', key: 'l' },
  { command: 'snooze', key: 'h' },
  { command: 'assign', key: 'm' },
  { command: 'note', key: 'n' },
  { command: 'draftReply', key: 'd' },
  { command: 'select', key: 'x' },
  { command: 'selectRangeDown', key: 'j', shift: true },
  { command: 'selectRangeDown', key: 'ArrowDown', shift: true },
  { command: 'selectRangeUp', key: 'k', shift: true },
  { command: 'selectRangeUp', key: 'ArrowUp', shift: true },
  { command: 'selectAll', key: 'a', mod: true, shift: true },
  { command: 'clearSelection', key: 'Escape' },
  { command: 'search', key: '/' },
  { command: 'palette', key: 'k', mod: true },
  { command: 'shortcuts', key: '?', shift: true },
  { command: 'undo', key: 'z', mod: true },
  { command: 'undo', key: 'z' },
  { command: 'settings', key: ',', mod: true },
  { command: 'toggleOrder', key: 'o' },
  { command: 'outbox', key: 'q' },
  { command: 'nextView', key: ']' },
  { command: 'previousView', key: '[' },
  { command: 'goInbox', key: 'i', after: 'g' },
  { command: 'goEarnings', key: 'e', after: 'g' },
  { command: 'goTeam', key: 't', after: 'g' },
  { command: 'goAudit', key: 'a', after: 'g' },
  { command: 'goInboxSettings', key: 's', after: 'g' },
  { command: 'goDrafts', key: 'd', after: 'g' },
  { command: 'goBack', key: '[', mod: true },
  { command: 'goForward', key: ']', mod: true },
];

/** On the Drafts screen the list's own next and previous keys move from draft to draft. */
const DRAFT_MOVES: Partial<Record<Command, Command>> = { next: 'nextDraft', previous: 'previousDraft' };

export const BINDINGS: readonly KeyBinding[] = [
  ...LIST_BINDINGS,
  // The Drafts screen's keys: read only by its handler (commandFor with on = 'drafts').
  ...LIST_BINDINGS.flatMap(({ command, key }) => {
    const move = DRAFT_MOVES[command];
    return move ? [{ command: move, key, on: 'drafts' as const }] : [];
  }),
  { command: 'approveDraft', key: 'a', on: 'drafts' },
  { command: 'editDraft', key: 'e', on: 'drafts' },
  { command: 'sendBackDraft', key: 'b', on: 'drafts' },
];

/** Commands that make sense on every screen; the rest act on the inbox list and wait for it. */
export const GLOBAL_COMMANDS = commandsThat('global');

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** Commands that still apply while typing in a field (everything else is text input). */
const WORKS_IN_FIELDS: ReadonlySet<Command> = new Set(['palette', 'clearSelection', 'settings']);

/** The first key of a "go to" sequence (G, no modifiers, outside text fields). */
export function isSequenceStart(event: KeyLike, inTextField: boolean): boolean {
  return (
    !inTextField &&
    event.key.toLowerCase() === SEQUENCE_PREFIX &&
    !event.shiftKey &&
    !event.ctrlKey &&
    !event.metaKey &&
    !event.altKey
  );
}

/** `after`: the sequence prefix just pressed, if any; only that sequence's bindings match then. */
export function commandFor(
  event: KeyLike,
  mac: boolean,
  inTextField: boolean,
  after: typeof SEQUENCE_PREFIX | null = null,
  on: KeyBinding['on'] | null = null,
): Command | null {
  if (event.altKey) return null;
  const mod = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  if (otherMod) return null;
  // Letters arrive upper-case with Shift; compare case-insensitively and use shiftKey.
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const binding of BINDINGS) {
    const bindingKey = binding.key.length === 1 ? binding.key.toLowerCase() : binding.key;
    if (bindingKey !== key) continue;
    if ((binding.after ?? null) !== after) continue;
    if ((binding.on ?? null) !== on) continue;
    if (Boolean(binding.mod) !== mod) continue;
    // "?" needs Shift on most layouts but not all; accept it either way.
    if (binding.key !== '?' && Boolean(binding.shift) !== event.shiftKey) continue;
    if (inTextField && !WORKS_IN_FIELDS.has(binding.command)) return null;
    return binding.command;
  }
  return null;
}

/** How a binding is written on the shortcut sheet, e.g. "⌘ K", "Ctrl K", "Shift R". */
export function describeBinding(binding: KeyBinding, mac: boolean): string[] {
  const parts: string[] = [];
  if (binding.after) parts.push(binding.after.toUpperCase());
  if (binding.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (binding.shift && binding.key !== '?') parts.push('Shift');
  const names: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', Enter: 'Enter', Escape: 'Esc' };
  parts.push(names[binding.key] ?? binding.key.toUpperCase());
  return parts;
}

export function bindingsFor(command: Command): KeyBinding[] {
  return BINDINGS.filter((b) => b.command === command);
}
