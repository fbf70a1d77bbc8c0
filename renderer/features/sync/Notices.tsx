import { useQueryClient } from '@tanstack/react-query';
import { Bell, CircleCheck, CircleX, TriangleAlert, X } from 'lucide-react';
import { memo, useEffect, useState } from 'react';
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
import { Popover } from '../../ui/Popover';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { markNoticesSeen, useNoticesSeen } from './noticesSeen';

type Notice = CallOutput<'notices.list'>[number];

/** How long the newest notice shows beside the bell before it is only in the list. */
const PEEK_MS = 6_000;

/**
 * Conflicts, rejections and outcomes, collected in one list behind a button in the top
 * bar (newest first, with an unread count), never stacked over the inbox. The newest one
 * shows for a moment beside the button, in the top bar's own flow, so it covers nothing.
 */
export const Notices = memo(function Notices() {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const notices = useNotices(accountId).data ?? [];
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [peek, setPeek] = useState<Notice | null>(null);
  const seenAt = useNoticesSeen((s) => (accountId ? (s.seen[accountId] ?? 0) : 0));
  const unread = notices.filter((n) => n.at > seenAt).length;
  useEffect(
    () =>
      onNoticeAdded((notice) => {
        announce(announcementFor(notice, t, locale), notice.kind === 'info' ? 'polite' : 'assertive');
        if (notice.accountId === useUi.getState().accountId) setPeek(notice);
      }),
    [t, locale],
  );
  useEffect(() => {
    if (!peek) return;
    const timer = setTimeout(() => setPeek(null), PEEK_MS);
    return () => clearTimeout(timer);
  }, [peek]);
  // Open means read: everything listed now counts as seen.
  const newest = notices[0]?.at ?? 0;
  useEffect(() => {
    if (open && accountId) markNoticesSeen(accountId, newest);
  }, [open, accountId, newest]);
  const refresh = () => {
    if (accountId) void client.invalidateQueries({ queryKey: keys.notices(accountId) });
  };
  const dismiss = async (noticeId: string) => {
    if (!accountId) return;
    await getBridge().call('notices.dismiss', { accountId, noticeId });
    refresh();
  };
  const dismissAll = async () => {
    if (!accountId) return;
    await getBridge().call('notices.dismissAll', { accountId });
    setPeek(null);
    refresh();
  };
  const openList = (next: boolean) => {
    setOpen(next);
    if (next) setPeek(null);
  };
  // The listed copy: it carries the message's fan and amount (the event does not).
  const peeking = peek && !open ? (notices.find((n) => n.id === peek.id) ?? null) : null;
  return (
    <div className="notices-tray">
      {peeking ? (
        <button
          type="button"
          className={`notice-peek notice-${peeking.kind}`}
          data-testid="notice-peek"
          onClick={() => openList(true)}
        >
          <NoticeIcon kind={peeking.kind} />
          <span className="notice-peek-text" dir="auto">
            {noticeText(peeking, t, locale)}
          </span>
        </button>
      ) : null}
      <Popover
        open={open}
        onOpenChange={openList}
        label={t('notices.label')}
        trigger={
          <button
            type="button"
            className={unread > 0 ? 'icon-button notices-button has-unread' : 'icon-button notices-button'}
            aria-label={t('notices.button', { count: unread })}
            data-unread={unread}
          >
            <Bell size={16} aria-hidden="true" />
            {unread > 0 ? (
              <span className="notices-count num" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </button>
        }
      >
        <section className="notices" aria-label={t('notices.label')}>
          <header className="panel-head">
            <h3>{t('notices.label')}</h3>
            {notices.length > 0 ? (
              <button type="button" className="small" onClick={() => void dismissAll()}>
                {t('notices.dismissAll')}
              </button>
            ) : null}
          </header>
          {notices.length === 0 ? (
            <p className="muted notices-empty">{t('notices.empty')}</p>
          ) : (
            <ul className="panel-list">
              {notices.map((notice) => (
                <li key={notice.id} className={`notice notice-${notice.kind}`} data-code={notice.code}>
                  <NoticeIcon kind={notice.kind} />
                  <div className="notice-body">
                    <p className="notice-meta">
                      <strong>{t(`notices.kind.${notice.kind}`)}</strong>
                      {notice.actorName ? (
                        <>
                          {' '}
                          {t('notices.by')} <UntrustedInline text={notice.actorName} />
                        </>
                      ) : null}
                      {' · '}
                      <span className="muted">{formatDateTime(notice.at, locale)}</span>
                    </p>
                    <p dir="auto">{noticeText(notice, t, locale)}</p>
                  </div>
                  <button
                    type="button"
                    className="icon-button notice-dismiss"
                    aria-label={t('notices.dismiss')}
                    onClick={() => void dismiss(notice.id)}
                  >
                    <X size={16} aria-hidden="true" />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </Popover>
    </div>
  );
});

/** Conflicts and refusals look different from outcomes that went as meant. */
function NoticeIcon({ kind }: { kind: Notice['kind'] }) {
  const Icon = kind === 'info' ? CircleCheck : kind === 'conflict' ? TriangleAlert : CircleX;
  return <Icon size={16} aria-hidden="true" className="notice-icon" />;
}

type T = ReturnType<typeof useT>;
const KNOWN_CODES = [
  'already_decided',
  'same_outcome',
  'deadline_passed',
  'forbidden',
  'not_found',
  'database_repaired',
  'access_ended',
  'unconfirmed',
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
    body: typeof params.body === 'string' ? untrustedPlain(params.body) : '—',
  });
}

function announcementFor(notice: Notice, t: T, locale: string): string {
  return `${t(`notices.kind.${notice.kind}`)}: ${noticeText(notice, t, locale)}`;
}
