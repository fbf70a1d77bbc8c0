import { memo } from 'react';
import type { Account } from '../../shared/contract';
import { useSyncStatus } from '../data/queries';
import { formatTimeLeft } from '../i18n/format';
import { useLocale, useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { UntrustedInline, untrustedPlain } from './SafeText';

/**
 * While inboxes download for the first time: one row per inbox with a progress bar, the
 * messages so far of the total and the time left at the pace seen so far. Inboxes sync
 * concurrently, so each has its own bar; the first pending page is readable meanwhile.
 * Time left is the messages' pace; the rest of the inbox (replies, triage, ledger) shows
 * as "finishing" once every message is in.
 */
export const SyncProgress = memo(function SyncProgress({ account }: { account: Account | null }) {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const inboxes = useSyncStatus(accountId).data?.inboxes ?? [];
  // Counted in messages; once they are all in, the inbox still takes its replies, triage
  // and ledger before it is complete, and its bar stays until then.
  const showing = inboxes.filter((i) => i.total > 0);
  if (!account || showing.length === 0) return null;
  return (
    <section aria-labelledby="sync-progress-heading" className="rail-section sync-progress">
      <h2 id="sync-progress-heading" className="sidebar-heading">
        {t('sync.progressHeading')}
      </h2>
      <ul className="sidebar-list">
        {showing.map((progress) => {
          const name = account.inboxes.find((i) => i.inboxId === progress.inboxId)?.creatorName ?? account.displayName;
          const counts = t('sync.bootstrap', { done: progress.done, total: progress.total });
          const left =
            progress.done >= progress.total
              ? t('sync.finishing')
              : progress.remainingMs === null
                ? t('sync.timeLeftUnknown')
                : t('sync.timeLeft', { time: formatTimeLeft(progress.remainingMs, locale) });
          return (
            <li key={progress.inboxId} className="sync-progress-item" data-inbox-id={progress.inboxId}>
              <UntrustedInline text={name} className="rail-label" />
              <progress
                max={progress.total}
                value={progress.done}
                aria-label={t('sync.inboxProgressLabel', { name: untrustedPlain(name) })}
                aria-valuetext={`${counts}, ${left}`}
              />
              <span className="small muted rail-extra">
                {counts} · {left}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
});
