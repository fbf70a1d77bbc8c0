import { useId, useMemo, useState } from 'react';
import { useT } from '../../i18n/I18n';
import { closeDialog, Dialog } from '../../ui/Dialog';
import { bindingsFor, COMMANDS, type Command, describeBinding, isMac } from './keymap';

/** Every command by name, filtered as you type; Enter runs the highlighted one. */
export function CommandPalette({ run }: { run: (command: Command) => void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const mac = isMac(navigator.platform);
  const matches = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return COMMANDS.filter((c) => c !== 'palette').filter((c) => t(`command.${c}`).toLocaleLowerCase().includes(q));
  }, [query, t]);
  const choose = (command: Command | undefined) => {
    if (!command) return;
    closeDialog();
    // Let the palette close (and focus return to the list) before the command moves focus.
    requestAnimationFrame(() => requestAnimationFrame(() => run(command)));
  };
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  return (
    <Dialog title={t('palette.title')} className="palette">
      <input
        role="combobox"
        data-autofocus
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={matches[activeIndex] ? `cmd-${matches[activeIndex]}` : undefined}
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
      <div id={listId} role="listbox" aria-label={t('palette.title')} className="palette-list">
        {matches.map((command, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys.
          <div
            key={command}
            tabIndex={-1}
            id={`cmd-${command}`}
            role="option"
            aria-selected={i === activeIndex}
            className={i === activeIndex ? 'is-active' : undefined}
            onClick={() => choose(command)}
          >
            <span>{t(`command.${command}`)}</span>
            <kbd>{bindingsFor(command)[0] ? describeBinding(bindingsFor(command)[0] as never, mac).join(' ') : ''}</kbd>
          </div>
        ))}
      </div>
    </Dialog>
  );
}

export function ShortcutSheet() {
  const t = useT();
  const mac = isMac(navigator.platform);
  return (
    <Dialog title={t('shortcuts.title')} className="shortcuts">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.command')}</th>
            <th scope="col">{t('shortcuts.keys')}</th>
          </tr>
        </thead>
        <tbody>
          {COMMANDS.map((command) => (
            <tr key={command}>
              <td>{t(`command.${command}`)}</td>
              <td>
                {bindingsFor(command).map((b) => (
                  <kbd key={`${b.key}-${b.shift}-${b.mod}`}>{describeBinding(b, mac).join(' ')}</kbd>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={closeDialog}>
        {t('common.close')}
      </button>
    </Dialog>
  );
}
