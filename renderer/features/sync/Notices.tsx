import { useQueryClient } from '@tanstack/react-query';
import { memo, useEffect } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { onNoticeAdded } from '../../data/events';
import { keys } from '../../data/keys';
import { useNotices } from '../../data/queries';
import { formatDateTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { limitNoticeText } from '../../i18n/limitNotice';
import { noticeSubject, yourActionOn } from '../../i18n/notice-action';
import { useUi } from '../../state/ui';
import { announce } from '../../ui/announce';
import { UntrustedInline } from '../../ui/SafeText';

type Notice = CallOutput<'notices.list'>[number];

/** Conflicts and rejections, saying who did what and when, until dismissed. */
export const Notices = memo(function Notices() {
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
            <p dir="auto">{noticeText(notice, t, locale)}</p>
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
});

type T = ReturnType<typeof useT>;
const KNOWN_CODES = [
  'already_decided',
  'same_outcome',
  'deadline_passed',
  'forbidden',
  'not_found',
  'database_repaired',
  'access_ended',
] as const;

/**
 * Known codes get a sentence in the person's language from the notice's params (who, what,
 * when); any other code shows the core's own text.
 */
function noticeText(notice: Notice, t: T, locale: string): string {
  if (notice.code === 'over_limit') return limitNoticeText(notice, t, locale);
  const code = (KNOWN_CODES as readonly string[]).includes(notice.code)
    ? (notice.code as (typeof KNOWN_CODES)[number])
    : null;
  if (!code) return notice.text;
  const params = notice.params ?? {};
  const decidedAt = typeof params.decidedAt === 'number' ? params.decidedAt : notice.at;
  return t(`notices.code.${code}`, {
    subject: noticeSubject(params, t, locale),
    what: yourActionOn(params, t, locale),
    who: notice.actorName ?? (typeof params.actorName === 'string' ? params.actorName : t('pane.thePlatform')),
    status: typeof params.status === 'string' ? params.status : 'other',
    time: formatDateTime(decidedAt, locale),
    salvaged: typeof params.salvaged === 'number' ? params.salvaged : 0,
    creatorName: typeof params.creatorName === 'string' ? params.creatorName : '—',
  });
}

function announcementFor(notice: Notice, t: T, locale: string): string {
  return `${t(`notices.kind.${notice.kind}`)}: ${noticeText(notice, t, locale)}`;
}
