import { type Command, GUARDED_COMMANDS } from './keymap';

/**
 * Keys that arrive faster than a person chooses an action are typing, not commands.
 *
 * Someone who believes a text box is open types a sentence; on the list every letter is a
 * shortcut. This guard decides, key by key, whether a single-key command may run:
 *
 * - Commands that change data or open a dialog (accept, refund, archive, star, …) wait
 *   `BURST_MS`; any further printable key in that time cancels them — a word is being typed.
 * - A printable key no command uses (t, space, comma, a digit) means typing has begun.
 * - While keys keep coming less than `BURST_MS` apart, no single-key command runs at all
 *   (navigation included); the burst ends after a quiet `BURST_MS`, or `SETTLE_MS` once
 *   three keys or more made it plainly typing.
 * - Navigation keys on their own (holding j) are never a burst.
 *
 * Pure over timestamps, so the rules are unit-tested; `useShortcuts` applies them.
 */
export const BURST_MS = 300;
/**
 * Once a burst is clearly typing (three keys or more), it ends only after a longer quiet:
 * people pause between words and clauses, and the next letter is still text.
 */
export const SETTLE_MS = 1_200;
const TYPING_KEYS = 3;

export type GuardDecision =
  /** Run now. */
  | { kind: 'run' }
  /** Run after `BURST_MS` unless `cancelPending` is called first. */
  | { kind: 'defer'; ms: number }
  /** Do not run: typing. `firstInBurst` says whether to tell the person (once per burst). */
  | { kind: 'suppress'; firstInBurst: boolean };

export interface KeyFacts {
  at: number;
  /** One visible character with no Ctrl/Cmd/Alt (what typing produces), or Enter. */
  printable: boolean;
  /** The command bound to the key, if any. */
  command: Command | null;
  /** A modifier shortcut (Ctrl/Cmd+…) or Escape: deliberate, never typing. */
  deliberate: boolean;
}

export interface TypingGuard {
  /** Decides what to do with one key; also says whether a deferred command was cancelled. */
  onKey(key: KeyFacts): { decision: GuardDecision | null; cancelled: boolean };
  /** The deferred command ran (or was dropped): forget it. */
  settle(): void;
}

export function createTypingGuard(burstMs = BURST_MS, settleMs = SETTLE_MS): TypingGuard {
  let lastTypingAt = Number.NEGATIVE_INFINITY;
  let burstUntil = Number.NEGATIVE_INFINITY;
  let burstKeys = 0;
  let pending = false;
  let toldThisBurst = false;

  return {
    onKey({ at, printable, command, deliberate }) {
      if (deliberate || !printable) {
        // Modifier shortcuts and Escape run as asked; they do not end or start a burst.
        return { decision: command ? { kind: 'run' } : null, cancelled: false };
      }
      let cancelled = false;
      let inBurst = at < burstUntil || at - lastTypingAt < burstMs;
      if (!inBurst) {
        burstKeys = 0;
        toldThisBurst = false;
      }
      if (pending) {
        // A second key before the first command ran: it was a word, not a choice.
        pending = false;
        cancelled = true;
        inBurst = true;
      }
      const isNavigation = command !== null && !GUARDED_COMMANDS.has(command);
      if (command === null) inBurst = true;
      if (!isNavigation || inBurst) lastTypingAt = at;
      if (inBurst) {
        burstKeys += 1;
        burstUntil = at + (burstKeys >= TYPING_KEYS ? settleMs : burstMs);
        // Plain text keys are simply ignored; the person is told once, on the first
        // shortcut the burst swallowed (or the command it cancelled).
        if (command === null && !cancelled) return { decision: null, cancelled };
        const firstInBurst = !toldThisBurst;
        toldThisBurst = true;
        return { decision: { kind: 'suppress', firstInBurst }, cancelled };
      }
      if (command === null) return { decision: null, cancelled };
      if (GUARDED_COMMANDS.has(command)) {
        pending = true;
        return { decision: { kind: 'defer', ms: burstMs }, cancelled };
      }
      return { decision: { kind: 'run' }, cancelled };
    },
    settle() {
      pending = false;
    },
  };
}
