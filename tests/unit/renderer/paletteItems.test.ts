import { describe, expect, it } from 'vitest';
import { commandItems, matchItems, type PaletteItem } from '../../../renderer/features/keyboard/paletteItems';
import { COMMANDS, DRAFT_COMMANDS } from '../../../renderer/state/keymap';

const names: Record<string, string> = {
  star: 'Star',
  goEarnings: 'Go to earnings',
  settings: 'Settings',
  goInboxSettings: 'Go to inbox settings',
  refund: 'Refund',
};
const items: PaletteItem[] = [
  ...commandItems((c) => names[c] ?? c),
  { id: 'view-starred', group: 'views', label: 'Show Starred', entry: { kind: 'view', view: 'starred' } },
];
const labels = (q: string) => matchItems(items, q).map((i) => i.label);

describe('command palette matching', () => {
  it('offers every command but the palette itself and the Drafts screen’s own keys', () => {
    const offered = commandItems((c) => c).map((i) => ('command' in i ? i.command : null));
    expect(offered).toEqual(COMMANDS.filter((c) => c !== 'palette' && !DRAFT_COMMANDS.has(c)));
  });

  it('finds screens by any word of their name ("earn" finds earnings)', () => {
    expect(labels('earn')).toEqual(['Go to earnings']);
    expect(labels('EARN')).toEqual(['Go to earnings']);
  });

  it('puts the command whose name starts with the query before other matches', () => {
    expect(labels('star')[0]).toBe('Star');
    expect(labels('star')).toContain('Show Starred');
    expect(labels('sett')).toEqual(['Settings', 'Go to inbox settings']);
  });

  it('returns nothing for a query nothing holds, so the palette can say so', () => {
    expect(labels('zzzz')).toEqual([]);
  });

  it('lists places first when nothing is typed', () => {
    expect(matchItems(items, '')[0]?.group).toBe('screens');
    expect(matchItems(items, '')).toHaveLength(items.length);
  });
});
