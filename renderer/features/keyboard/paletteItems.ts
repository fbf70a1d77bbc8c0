import { COMMANDS, type Command, DRAFT_COMMANDS } from '../../state/keymap';
import type { RailEntry } from '../../state/railOrder';

/**
 * What the command palette offers: every command (screens first among them under "Go to"),
 * and every view, label and saved search. Matching is by the words shown, in the UI's
 * language; better matches (start of the name, then start of a word) come first.
 */
export type PaletteItem =
  | { id: string; group: 'commands' | 'screens'; label: string; command: Command }
  | { id: string; group: 'views'; label: string; entry: RailEntry };

export const SCREEN_COMMANDS: readonly Command[] = [
  'goInbox',
  'goEarnings',
  'goTeam',
  'goAudit',
  'goInboxSettings',
  'goDrafts',
  'settings',
];

export function commandItems(name: (command: Command) => string): PaletteItem[] {
  // The Drafts screen's keys act on its focused draft: they are on its own buttons, not here.
  return COMMANDS.filter((c) => c !== 'palette' && !DRAFT_COMMANDS.has(c)).map((command) => ({
    id: `cmd-${command}`,
    group: SCREEN_COMMANDS.includes(command) ? 'screens' : 'commands',
    label: name(command),
    command,
  }));
}

function score(label: string, query: string): number {
  const text = label.toLocaleLowerCase();
  if (text.startsWith(query)) return 0;
  if (text.split(/[\s,.;:()—–-]+/u).some((word) => word.startsWith(query))) return 1;
  return text.includes(query) ? 2 : -1;
}

// Typed queries favour commands (the fastest path for "star", "refund"); with nothing typed
// the places come first, so the palette doubles as a map of the app.
const TYPED_ORDER = { commands: 0, screens: 1, views: 2 } as const;
const EMPTY_ORDER = { screens: 0, commands: 1, views: 2 } as const;

/** The items whose words hold the query, best first; everything (in group order) for no query. */
export function matchItems(items: readonly PaletteItem[], query: string): PaletteItem[] {
  const q = query.trim().toLocaleLowerCase();
  const order = q ? TYPED_ORDER : EMPTY_ORDER;
  return items
    .map((item, index) => ({ item, index, score: q ? score(item.label, q) : 0 }))
    .filter((m) => m.score >= 0)
    .sort((a, b) => a.score - b.score || order[a.item.group] - order[b.item.group] || a.index - b.index)
    .map((m) => m.item);
}
