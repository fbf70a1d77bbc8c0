import { ArrowRight, Search, Tag, Zap } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { useCounts } from '../../data/queries';
import { type MessageKey, useT } from '../../i18n/I18n';
import {
  bindingsFor,
  COMMANDS,
  type Command,
  describeBinding,
  GLOBAL_COMMANDS,
  isMac,
  MENU_COMMANDS,
} from '../../state/keymap';
import { showRailEntry } from '../../state/navigation';
import { railEntries } from '../../state/railOrder';
import { useSavedSearches } from '../../state/savedSearches';
import { useUi } from '../../state/ui';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { TableHead } from '../../ui/TableHead';
import { commandItems, matchItems, type PaletteItem, SCREEN_COMMANDS } from './paletteItems';

/** Every command, screen, view, label and saved search by name, filtered as you type. */
export function CommandPalette({ run }: { run: (command: Command) => void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const mac = isMac(navigator.platform);
  const { accountId, inboxId } = useUi();
  const counts = useCounts(accountId, inboxId).data;
  const saved = useSavedSearches((s) => s.searches);
  const items = useMemo(() => {
    const labels = (counts?.views ?? []).flatMap((v) => (v.view === 'label' && v.label ? [v.label] : []));
    const places = railEntries(labels, saved).map(
      (entry): PaletteItem => ({
        id: `view-${entry.kind}-${entry.kind === 'view' ? entry.view : entry.kind === 'label' ? entry.label : entry.id}`,
        group: 'views',
        label: t('palette.view', {
          view:
            entry.kind === 'view'
              ? t(`view.${entry.view}`)
              : entry.kind === 'label'
                ? entry.label
                : (saved.find((s) => s.id === entry.id)?.name ?? ''),
        }),
        entry,
      }),
    );
    return [...commandItems((c) => t(`command.${c}`)), ...places];
  }, [counts, saved, t]);
  const matches = useMemo(() => matchItems(items, query), [items, query]);
  const choose = (item: PaletteItem | undefined) => {
    if (!item) return;
    closeDialog();
    // Let the palette close (and focus return to the list) before the command moves focus.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => ('command' in item ? run(item.command) : showRailEntry(item.entry))),
    );
  };
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (item: PaletteItem) => `${listId}-${item.id}`;
  return (
    <Dialog title={t('palette.title')} className="palette">
      <div className="palette-input">
        <Search size={16} aria-hidden="true" className="muted" />
        <input
          role="combobox"
          data-autofocus
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={matches[activeIndex] ? optionId(matches[activeIndex]) : undefined}
          aria-label={t('palette.placeholder')}
          placeholder={t('palette.placeholder')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(matches.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(matches[activeIndex]);
            }
          }}
        />
      </div>
      <div id={listId} role="listbox" aria-label={t('palette.title')} className="palette-list">
        {matches.map((item, i) => {
          const binding = 'command' in item ? bindingsFor(item.command)[0] : undefined;
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys.
            <div
              key={item.id}
              tabIndex={-1}
              id={optionId(item)}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? 'is-active' : undefined}
              onClick={() => choose(item)}
              onMouseMove={() => setActive(i)}
            >
              <span className="palette-icon" aria-hidden="true">
                {item.group === 'screens' ? (
                  <ArrowRight size={14} className="flip-rtl" />
                ) : item.group === 'views' ? (
                  <Tag size={14} />
                ) : (
                  <Zap size={14} />
                )}
              </span>
              <span className="palette-label">{item.label}</span>
              <span className="palette-group">{t(`palette.group.${item.group}`)}</span>
              {binding ? <kbd>{describeBinding(binding, mac).join(' ')}</kbd> : null}
            </div>
          );
        })}
      </div>
      {matches.length === 0 ? (
        <p className="palette-empty" role="status">
          {t('palette.noResults', { query: query.trim() })}
        </p>
      ) : null}
    </Dialog>
  );
}

/** Shortcut sheet groups: moving around, triage, and the app itself. */
const NAVIGATION: ReadonlySet<Command> = new Set([
  'next',
  'previous',
  'open',
  'search',
  'nextView',
  'previousView',
  'goBack',
  'goForward',
  ...SCREEN_COMMANDS,
]);

export function ShortcutSheet() {
  const t = useT();
  const mac = isMac(navigator.platform);
  const groups: { key: MessageKey; commands: Command[] }[] = [
    { key: 'shortcuts.group.navigation', commands: COMMANDS.filter((c) => NAVIGATION.has(c)) },
    {
      key: 'shortcuts.group.triage',
      // Commands without a key (blocking a fan) are in the palette and the menus, not on a sheet of keys.
      commands: COMMANDS.filter((c) => !NAVIGATION.has(c) && !GLOBAL_COMMANDS.has(c) && !MENU_COMMANDS.has(c)),
    },
    {
      key: 'shortcuts.group.app',
      commands: COMMANDS.filter((c) => !NAVIGATION.has(c) && GLOBAL_COMMANDS.has(c)),
    },
  ];
  return (
    <Dialog title={t('shortcuts.title')} className="shortcuts">
      {/* It scrolls on small windows: focusable so the keyboard can scroll it too (axe: scrollable-region-focusable). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="shortcut-groups" tabIndex={0} aria-label={t('shortcuts.title')}>
        {groups.map((g) => (
          <table key={g.key}>
            <caption>{t(g.key)}</caption>
            <TableHead className="visually-hidden" columns={[t('shortcuts.command'), t('shortcuts.keys')]} />
            <tbody>
              {g.commands.map((command) => (
                <tr key={command}>
                  <td>{t(`command.${command}`)}</td>
                  <td>
                    {bindingsFor(command).map((b) => (
                      <kbd key={`${b.after ?? ''}-${b.key}-${b.shift}-${b.mod}`}>
                        {describeBinding(b, mac).join(' ')}
                      </kbd>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </section>
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
