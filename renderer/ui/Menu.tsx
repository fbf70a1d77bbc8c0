import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { ReactNode } from 'react';
import type { Command } from '../state/keymap';
import { KeyHint } from './Kbd';

export interface MenuEntry {
  id: string;
  label: string;
  icon?: ReactNode;
  /** The command whose key is shown beside the entry. */
  command?: Command;
  danger?: boolean;
  disabled?: boolean;
  onSelect(): void;
}

/**
 * A menu on Radix's dropdown: roving focus, typeahead, arrow keys, Escape and outside click
 * close it, and it mirrors in Arabic (the DirectionProvider in app/App.tsx). Every entry
 * shows its key, like Superhuman and Linear do.
 */
export function Menu({
  trigger,
  entries,
  label,
  align = 'end',
  header,
}: {
  trigger: ReactNode;
  entries: (MenuEntry | 'separator')[];
  label: string;
  align?: 'start' | 'end';
  header?: ReactNode;
}) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align={align} sideOffset={4} aria-label={label} collisionPadding={8}>
          {header ? <div className="menu-header">{header}</div> : null}
          {entries.map((entry, i) =>
            entry === 'separator' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: separators have no identity of their own.
              <DropdownMenu.Separator key={`sep-${i}`} className="menu-separator" />
            ) : (
              <DropdownMenu.Item
                key={entry.id}
                className={entry.danger ? 'menu-item is-danger' : 'menu-item'}
                disabled={entry.disabled}
                onSelect={entry.onSelect}
                data-menu-entry={entry.id}
              >
                <span className="menu-icon" aria-hidden="true">
                  {entry.icon}
                </span>
                <span className="menu-label">{entry.label}</span>
                {entry.command ? <KeyHint command={entry.command} /> : null}
              </DropdownMenu.Item>
            ),
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
