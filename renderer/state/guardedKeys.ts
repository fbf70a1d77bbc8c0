import type { KeyLike } from './keymap';
import { createTypingGuard, type KeyFacts, type TypingGuard } from './typingGuard';

/** What a key handler does with each answer of the typing guard; the guard decides which. */
export interface GuardedOutcome {
  /** Run the command now. */
  run(): void;
  /** Run it once the burst window has passed; called then, and only if no key cancelled it. */
  runLater(): void;
  /** Tell the person their keys were taken as typing (once per burst, or when a command was cancelled). */
  tellTyping(): void;
  /** Typing goes on: keep the notice already shown. */
  keepTelling(): void;
}

export interface GuardedKeys {
  onKey(facts: KeyFacts, outcome: GuardedOutcome): void;
  /** The handler goes away: a command still waiting never runs. */
  dispose(): void;
}

/** One visible character with no Ctrl/Cmd/Alt (what typing produces), or Enter. */
export function isPrintable(event: KeyLike): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey && (event.key.length === 1 || event.key === 'Enter');
}

/**
 * Applies the typing guard's decisions for one key handler: runs, defers (and cancels a
 * deferred command when a further key shows it was a word), or tells the person. The list's
 * keys and the Drafts screen's keys both go through here, so a sentence typed at either runs
 * nothing in the same way.
 */
export function createGuardedKeys(guard: TypingGuard = createTypingGuard()): GuardedKeys {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    onKey(facts, outcome) {
      const { decision, cancelled } = guard.onKey(facts);
      if (cancelled && timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (!decision || !facts.command) {
        if (cancelled) outcome.tellTyping();
        else if (facts.printable) outcome.keepTelling();
        return;
      }
      if (decision.kind === 'run') {
        outcome.run();
      } else if (decision.kind === 'suppress') {
        if (decision.firstInBurst || cancelled) outcome.tellTyping();
        else outcome.keepTelling();
      } else {
        timer = setTimeout(() => {
          timer = null;
          guard.settle();
          outcome.runLater();
        }, decision.ms);
      }
    },
    dispose() {
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      guard.settle();
    },
  };
}
