import { useEffect } from 'react';
import { isTextField } from '../../ui/focus';
import { type Command, commandFor, isMac } from './keymap';

/** One keydown listener for the whole window, mapping keys to commands. */
export function useShortcuts(run: (command: Command) => void): void {
  useEffect(() => {
    const mac = isMac(navigator.platform);
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const inField = isTextField(event.target);
      const inDialog = event.target instanceof Element && event.target.closest('dialog') !== null;
      const command = commandFor(event, mac, inField);
      if (!command) return;
      // Dialogs handle their own keys (Escape closes them natively); only the palette key passes.
      if (inDialog && command !== 'palette') return;
      // Buttons and links keep Enter for themselves.
      if (command === 'open' && event.target instanceof HTMLElement && event.target.closest('button, a, summary'))
        return;
      event.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
}
