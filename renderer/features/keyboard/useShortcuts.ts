import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/I18n';
import { createGuardedKeys, type GuardedKeys, isPrintable } from '../../state/guardedKeys';
import {
  type Command,
  commandFor,
  GLOBAL_COMMANDS,
  isMac,
  isSequenceStart,
  SEQUENCE_PREFIX,
  SEQUENCE_WINDOW_MS,
} from '../../state/keymap';
import { useRoute } from '../../state/route';
import { useUi } from '../../state/ui';
import { flash, keepFlash } from '../../ui/flash';
import { isTextField } from '../../ui/focus';

/**
 * One keydown listener for the whole window, mapping keys to commands. Single keys pass
 * the typing guard first: a sentence typed at the list runs nothing (see typingGuard.ts).
 * G then a letter goes to a screen; on a screen other than the inbox, list keys do nothing.
 */
export function useShortcuts(run: (command: Command) => void): void {
  const t = useT();
  const latestT = useRef(t);
  latestT.current = t;
  // The guard outlives re-renders and re-subscriptions: a burst must not be forgotten
  // because a sync re-rendered the inbox halfway through a sentence.
  const keysRef = useRef<GuardedKeys | null>(null);
  keysRef.current ??= createGuardedKeys();
  useEffect(() => {
    const mac = isMac(navigator.platform);
    const keys = keysRef.current ?? createGuardedKeys();
    let prefixAt = Number.NEGATIVE_INFINITY;
    const t = (...args: Parameters<typeof latestT.current>) => latestT.current(...args);
    const tellTyping = () => flash(t('refusal.typing'), 'refused');
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const inField = isTextField(event.target);
      const inDialog = event.target instanceof Element && event.target.closest('dialog') !== null;
      // Typing in a field or a dialog is not for the guard: the keys are the person's text.
      if (inField || inDialog) {
        const command = commandFor(event, mac, inField);
        if (!command || (inDialog && command !== 'palette')) return;
        event.preventDefault();
        run(command);
        return;
      }
      // G-sequences: G waits for the next key; a letter that starts no sequence is typing,
      // so the G is handed to the typing guard after all.
      const sequenceAt = prefixAt;
      prefixAt = Number.NEGATIVE_INFINITY;
      if (event.timeStamp - sequenceAt <= SEQUENCE_WINDOW_MS) {
        const go = commandFor(event, mac, false, SEQUENCE_PREFIX);
        if (go) {
          event.preventDefault();
          run(go);
          return;
        }
        keys.onKey(
          { at: sequenceAt, printable: true, command: null, deliberate: false },
          { run: () => {}, runLater: () => {}, tellTyping, keepTelling: keepFlash },
        );
      } else if (isSequenceStart(event, false)) {
        prefixAt = event.timeStamp;
        event.preventDefault();
        return;
      }
      const command = commandFor(event, mac, false);
      // On a full screen (earnings, team…) the list's keys do nothing: no accepting unseen.
      if (command && useRoute.getState().screen !== 'inbox' && !GLOBAL_COMMANDS.has(command)) return;
      // Buttons and links keep Enter for themselves.
      if (command === 'open' && event.target instanceof HTMLElement && event.target.closest('button, a, summary'))
        return;
      if (command) event.preventDefault();
      // A deferred command runs only on the message it was pressed on, so a focus change
      // in between (a sync, a click) cannot redirect it.
      const { focusedId, selection } = useUi.getState();
      keys.onKey(
        {
          at: event.timeStamp,
          printable: isPrintable(event),
          command,
          deliberate: command === 'clearSelection' || event.ctrlKey || event.metaKey,
        },
        {
          run: () => command && run(command),
          runLater: () => {
            if (!command) return;
            const now = useUi.getState();
            if (now.focusedId !== focusedId || now.selection !== selection) {
              flash(
                t('refusal.notDone', { command: t(`command.${command}`), reason: t('refusal.focusChanged') }),
                'refused',
              );
              return;
            }
            run(command);
          },
          tellTyping,
          keepTelling: keepFlash,
        },
      );
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      keys.dispose();
    };
  }, [run]);
}
