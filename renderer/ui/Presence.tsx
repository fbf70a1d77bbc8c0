import { useEffect } from 'react';
import type { PresenceEntry } from '../../shared/protocol';
import { getBridge } from '../bridge';
import { usePresence } from '../data/team';
import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { untrustedPlain } from './SafeText';

/** One line per person on this message; someone replying outranks the same person viewing. */
export function peopleOn(messageId: string, people: readonly PresenceEntry[]): PresenceEntry[] {
  const byUser = new Map<string, PresenceEntry>();
  for (const p of people) {
    if (p.messageId !== messageId) continue;
    const seen = byUser.get(p.userId);
    if (!seen || (seen.state === 'viewing' && p.state === 'replying')) byUser.set(p.userId, p);
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Everyone on each message, as peopleOn gives them: for the list's rows, in one pass. */
export function presenceByMessage(people: readonly PresenceEntry[]): Map<string, PresenceEntry[]> {
  const ids = new Set(people.map((p) => p.messageId));
  return new Map([...ids].map((id) => [id, peopleOn(id, people)]));
}

/**
 * Tells the team this message is open here (and whether a reply is being written), and
 * shows who else is on it. The core renews the heartbeat; leaving the message, hiding or
 * closing the window clears it.
 */
export function PresenceLine({ messageId, inboxId }: { messageId: string; inboxId: string }) {
  const t = useT();
  const accountId = useUi((s) => s.accountId);
  const replying = useUi(
    (s) => s.composer?.messageId === messageId && (s.composer.mode === 'reply' || s.composer.mode === 'acceptReply'),
  );
  const state = replying ? 'replying' : 'viewing';
  useEffect(() => {
    if (!accountId) return;
    return () => {
      void getBridge()
        .call('presence.set', { accountId, messageId, state: null })
        .catch(() => undefined);
    };
  }, [accountId, messageId]);
  useEffect(() => {
    if (!accountId) return;
    // A hidden or closing window is nobody looking: said at once, from the event itself
    // (a page being closed runs no further renders), and taken back when it shows again.
    const say = () =>
      void getBridge()
        .call('presence.set', { accountId, messageId, state: document.visibilityState === 'hidden' ? null : state })
        .catch(() => undefined);
    const leave = () =>
      void getBridge()
        .call('presence.set', { accountId, messageId, state: null })
        .catch(() => undefined);
    say();
    document.addEventListener('visibilitychange', say);
    window.addEventListener('pageshow', say);
    window.addEventListener('pagehide', leave);
    return () => {
      document.removeEventListener('visibilitychange', say);
      window.removeEventListener('pageshow', say);
      window.removeEventListener('pagehide', leave);
    };
  }, [accountId, messageId, state]);
  const people = peopleOn(messageId, usePresence(accountId, inboxId).data ?? []);
  return (
    <p className="presence" role="status" data-testid="presence">
      {people.map((p, i) => (
        <span key={p.userId} className={`presence-${p.state}`}>
          {i > 0 ? ' · ' : null}
          {/* First-strong isolates keep a name in another script from reordering the sentence. */}
          {t(p.state === 'replying' ? 'presence.replying' : 'presence.viewing', {
            name: untrustedPlain(p.name),
          })}
        </span>
      ))}
    </p>
  );
}
