import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { onNoticeAdded } from '../../data/events';
import { keys } from '../../data/keys';
import { useNotices } from '../../data/queries';
import { formatDateTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { announce } from '../../ui/announce';
import { UntrustedInline } from '../../ui/SafeText';

type Notice = CallOutput<'notices.list'>[number];

/** Conflicts and rejections, saying who did what and when, until dismissed. */
export function Notices() {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const notices = useNotices(accountId).data ?? [];
  const client = useQueryClient();
  useEffect(
    () =>
      onNoticeAdded((notice) => {
        announce(announcementFor(notice, t, locale), notice.kind === 'info' ? 'polite' : 'assertive');
      }),
    [t, locale],
  );
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label={t('notices.label')}>
      <ul>
        {notices.slice(0, 5).map((notice) => (
          <li key={notice.id} className={`notice notice-${notice.kind}`} data-code={notice.code}>
            <p>
              <strong>{t(`notices.kind.${notice.kind}`)}</strong>{' '}
              {notice.actorName ? (
                <>
                  {t('notices.by')} <UntrustedInline text={notice.actorName} />{' '}
                </>
              ) : null}
              <span className="muted">{formatDateTime(notice.at, locale)}</span>
            </p>
            <p dir="auto">{noticeText(notice, t)}</p>
            <button
              type="button"
              onClick={async () => {
                if (!accountId) return;
                await getBridge().call('notices.dismiss', { accountId, noticeId: notice.id });
                void client.invalidateQueries({ queryKey: keys.notices(accountId) });
              }}
            >
              {t('notices.dismiss')}
            </button>
          </li>
        ))}
      </ul>
      {notices.length > 5 ? <p className="muted small">{t('notices.more', { count: notices.length - 5 })}</p> : null}
    </section>
  );
}

type T = ReturnType<typeof useT>;
const KNOWN_CODES = ['already_decided', 'deadline_passed', 'forbidden', 'not_found'] as const;

/** Known refusal codes get a sentence in the person's language; others show the core's text. */
function noticeText(notice: Notice, t: T): string {
  const code = (KNOWN_CODES as readonly string[]).includes(notice.code)
    ? (notice.code as (typeof KNOWN_CODES)[number])
    : null;
  if (!code) return notice.text;
  return t(`notices.code.${code}`, { who: notice.actorName ?? t('pane.thePlatform') });
}

function announcementFor(notice: Notice, t: T, locale: string): string {
  return `${t(`notices.kind.${notice.kind}`)}: ${noticeText(notice, t)} (${formatDateTime(notice.at, locale)})`;
}
