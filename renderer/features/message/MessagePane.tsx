import {
  Archive,
  BellRing,
  Check,
  Clock,
  Ellipsis,
  FilePenLine,
  Mail,
  MailOpen,
  MessageSquareReply,
  Reply,
  Star,
  StickyNote,
  Tag,
  Undo2,
  UserCheck,
  UserPlus,
  UserX,
} from 'lucide-react';
import { memo, useState } from 'react';
import { shallow } from 'zustand/shallow';
import type { InboxRow, Thread } from '../../../shared/contract';
import { urgency } from '../../../shared/message';
import { useAttribution } from '../../data/attribution';
import { permissionsIn } from '../../data/permissions';
import { useAccounts, useFanHistory, useThread } from '../../data/queries';
import { isUndecided } from '../../data/useCommands';
import { useFanActions } from '../../data/useFanActions';
import { formatDateTime, formatDeadlineTime, formatDuration, formatMoneyList } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import type { Command } from '../../state/keymap';
import { EMPTY_FILTERS, useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { Avatar } from '../../ui/Avatar';
import { PANE_ID } from '../../ui/focus';
import { KeyHint } from '../../ui/Kbd';
import { LimitWarning } from '../../ui/LimitWarning';
import { Menu, type MenuEntry } from '../../ui/Menu';
import { PresenceLine } from '../../ui/Presence';
import { UntrustedBlock, UntrustedInline } from '../../ui/SafeText';
import { EmptyState, ProgressBar } from '../../ui/States';
import { TermsBadge } from '../../ui/TermsBadge';
import { bodySlice } from '../../ui/text';
import { usePlatformClock } from '../../ui/useNow';
import { Composer } from './Composer';
import { FanTerms } from './FanTerms';

export const MessagePane = memo(function MessagePane({
  row,
  run,
  actionable = true,
}: {
  row: InboxRow | null;
  run: (command: Command) => void;
  /** False for a message opened from a link that is not in the list: the keys act on the list. */
  actionable?: boolean;
}) {
  const t = useT();
  const accountId = useUi((s) => s.accountId);
  const thread = useThread(accountId, row?.id ?? null);
  if (!row) {
    return (
      <section className="pane pane-empty" id={PANE_ID} tabIndex={-1} aria-label={t('pane.label')}>
        <EmptyState icon={<MailOpen size={28} />} title={t('pane.nothingSelected')} />
      </section>
    );
  }
  const data = thread.data && thread.data.message.id === row.id ? thread.data : null;
  return (
    <section
      className="pane"
      id={PANE_ID}
      tabIndex={-1}
      aria-labelledby="pane-title"
      data-message-id={data?.message.id}
    >
      <PaneHeader row={row} thread={data} run={run} actionable={actionable} />
      <PresenceLine messageId={row.id} inboxId={row.inboxId} />
      {/* The composer opens at once, even while the message loads: keys typed after r,
          Shift+A or n must land in it, never run as shortcuts. */}
      <Composer row={row} fanName={data?.fan.displayName ?? row.fanName} />
      {data ? (
        <>
          <Body key={data.message.id} body={data.message.body} />
          <Decision thread={data} />
          <Replies thread={data} />
          <Notes thread={data} />
          <FanCard thread={data} />
        </>
      ) : thread.isError ? (
        <p role="alert">{t('pane.loadFailed')}</p>
      ) : (
        <p className="muted">{t('pane.loading')}</p>
      )}
    </section>
  );
});

/**
 * What the header shows of the platform's time: it re-renders when this changes (about once
 * a minute, and at once when the deadline passes), not on every tick of the clock.
 */
function headerClock(row: InboxRow, now: number, locale: string) {
  return {
    undecided: isUndecided(row, now),
    level: urgency(row.deadline, now),
    passed: row.deadline <= now,
    left: formatDuration(row.deadline - now, locale),
    time: formatDeadlineTime(row.deadline, now, locale),
    // The deadline bar moves by the minute: a second of a day-long window is not a pixel.
    leftMs: Math.ceil(Math.max(0, row.deadline - now) / 60_000) * 60_000,
  };
}

function PaneHeader({
  row,
  thread,
  run,
  actionable,
}: {
  row: InboxRow;
  thread: Thread | null;
  run: (command: Command) => void;
  actionable: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const clock = usePlatformClock((now) => headerClock(row, now, locale), shallow);
  const { undecided, level, leftMs } = clock;
  const permissions = new Set(permissionsIn(useAccounts().data ?? [], row.inboxId));
  const canAccept = undecided && permissions.has('accept');
  const canReply = row.status === 'accepted' && permissions.has('reply');
  const more: (MenuEntry | 'separator')[] = [
    ...(canAccept && permissions.has('reply')
      ? [
          {
            id: 'acceptReply',
            label: t('action.acceptReply'),
            icon: <MessageSquareReply size={16} />,
            command: 'acceptReply' as const,
            onSelect: () => run('acceptReply'),
          },
        ]
      : []),
    {
      id: 'star',
      label: row.starred ? t('action.unstar') : t('action.star'),
      icon: <Star size={16} />,
      command: 'star',
      onSelect: () => run('star'),
    },
    {
      id: 'archive',
      label: row.archived ? t('action.unarchive') : t('action.archive'),
      icon: <Archive size={16} />,
      command: 'archive',
      onSelect: () => run('archive'),
    },
    {
      id: 'toggleRead',
      label: row.read ? t('action.markUnread') : t('action.markRead'),
      icon: row.read ? <Mail size={16} /> : <MailOpen size={16} />,
      command: 'toggleRead',
      onSelect: () => run('toggleRead'),
    },
    'separator',
    { id: 'label', label: t('action.label'), icon: <Tag size={16} />, command: 'label', onSelect: () => run('label') },
    {
      id: 'snooze',
      label: t('action.snooze'),
      icon: <BellRing size={16} />,
      command: 'snooze',
      onSelect: () => run('snooze'),
    },
    {
      id: 'assign',
      label: t('action.assign'),
      icon: <UserPlus size={16} />,
      command: 'assign',
      onSelect: () => run('assign'),
    },
    {
      id: 'note',
      label: t('action.note'),
      icon: <StickyNote size={16} />,
      command: 'note',
      onSelect: () => run('note'),
    },
    // The fan's state is known once the thread is: until then there is nothing to offer.
    ...(thread ? ['separator' as const, fanEntry(blockedNow(thread.fan) ? 'unblockFan' : 'blockFan')] : []),
  ];
  function fanEntry(command: 'blockFan' | 'unblockFan'): MenuEntry {
    const icon = command === 'blockFan' ? <UserX size={16} /> : <UserCheck size={16} />;
    return {
      id: command,
      label: t(`command.${command}`),
      icon,
      command,
      danger: command === 'blockFan',
      onSelect: () => run(command),
    };
  }
  const windowMs = Math.max(1, row.deadline - row.paidAt);
  return (
    <header className="pane-header">
      <div className="pane-who">
        <Avatar name={row.fanName} id={row.fanId} size="lg" />
        <div className="pane-who-text">
          <h2 id="pane-title" className="pane-title">
            <UntrustedInline text={row.fanName} />
          </h2>
          {thread ? <BlockedChip fan={thread.fan} /> : null}
          <span className="muted small">{t('pane.paidAt', { time: formatDateTime(row.paidAt, locale) })}</span>
        </div>
        {actionable ? (
          <div className="toolbar" role="toolbar" aria-label={t('pane.actions')}>
            {canAccept ? (
              <button type="button" className="primary" onClick={() => run('accept')} aria-keyshortcuts="A">
                <Check size={16} aria-hidden="true" />
                {t('action.accept')}
                <KeyHint command="accept" />
              </button>
            ) : null}
            {canReply ? (
              <button type="button" className="primary" onClick={() => run('reply')} aria-keyshortcuts="R">
                <Reply size={16} aria-hidden="true" className="flip-rtl" />
                {t('action.reply')}
                <KeyHint command="reply" />
              </button>
            ) : null}
            {undecided && permissions.has('draft') && !(canAccept && permissions.has('reply')) ? (
              <button type="button" className="primary" onClick={() => run('draftReply')} aria-keyshortcuts="D">
                <FilePenLine size={16} aria-hidden="true" />
                {t('action.draftReply')}
                <KeyHint command="draftReply" />
              </button>
            ) : null}
            {undecided && permissions.has('refund') ? (
              <button type="button" className="secondary" onClick={() => run('refund')} aria-keyshortcuts="Shift+R">
                <Undo2 size={16} aria-hidden="true" className="flip-rtl" />
                {t('action.refund')}
                <KeyHint command="refund" />
              </button>
            ) : null}
            <Menu
              label={t('pane.more')}
              entries={more}
              trigger={
                <button type="button" className="icon-button more-button" aria-label={t('pane.more')}>
                  <Ellipsis size={16} aria-hidden="true" />
                </button>
              }
            />
          </div>
        ) : null}
      </div>
      <dl className="money-line">
        <div>
          <dt>{t('pane.price')}</dt>
          <dd className="price-terms">
            {row.free ? null : (
              <span className="price num">
                <Amount value={row.price} locale={locale} />
              </span>
            )}
            <TermsBadge message={row} locale={locale} />
          </dd>
        </div>
        {/* The platform sends no fee split to who may not view earnings; shown only where both hold. */}
        {thread?.message.fee && thread.message.net && !row.free && permissions.has('view_earnings') ? (
          <>
            <div>
              <dt>{t('pane.fee')}</dt>
              <dd className="num">
                <Amount value={thread.message.fee} locale={locale} />
              </dd>
            </div>
            <div>
              <dt>{t('pane.net')}</dt>
              <dd className="num net">
                <Amount value={thread.message.net} locale={locale} />
              </dd>
            </div>
          </>
        ) : null}
      </dl>
      {undecided ? <LimitWarning row={row} /> : null}
      {row.status === 'pending' && row.free && clock.passed ? (
        <p className="banner banner-waiting" role="status">
          {t('pane.freeLate', { time: clock.time })}
        </p>
      ) : row.status === 'pending' && clock.passed ? (
        <p className="banner banner-risk" role="status">
          {row.pendingDecision === 'accept' ? t('pane.acceptMissed') : t('pane.overdue')}
        </p>
      ) : row.pendingDecision === 'accept' ? (
        <p className="banner banner-waiting" role="status">
          {t('pane.acceptWaiting', { time: clock.time })}
        </p>
      ) : row.pendingDecision === 'refund' ? (
        <p className="banner banner-waiting" role="status">
          {t('pane.refundWaiting')}
        </p>
      ) : row.status === 'pending' ? (
        <div className={`deadline urgency-${level}`}>
          <p className="deadline-text">
            <Clock size={14} aria-hidden="true" />
            {t('pane.timeLeft', {
              left: clock.left,
              time: clock.time,
            })}
            {level === 'critical' ? ` — ${t('pane.critical')}` : ''}
          </p>
          <ProgressBar
            value={leftMs}
            max={windowMs}
            label={t('pane.deadlineBar')}
            valueText={clock.left}
            tone={level === 'critical' || level === 'overdue' ? 'risk' : level === 'soon' ? 'due' : 'held'}
          />
        </div>
      ) : null}
    </header>
  );
}

function Body({ body }: { body: string }) {
  const t = useT();
  const [expanded, setExpanded] = useState(false);
  const slice = bodySlice(body, expanded);
  return (
    <article className="body" aria-label={t('pane.body')}>
      <UntrustedBlock text={slice.text} className="body-text" />
      {slice.truncated ? (
        <button type="button" className="link" onClick={() => setExpanded(true)}>
          {t('pane.showFull', { count: body.length })}
        </button>
      ) : null}
    </article>
  );
}

function Decision({ thread }: { thread: Thread }) {
  const t = useT();
  const locale = useLocale();
  const m = thread.message;
  const attribute = useAttribution(m.inboxId);
  if (m.status === 'pending' || m.decidedAt === null) return null;
  const who = m.decidedBy ? attribute(m.decidedBy) : t('pane.thePlatform');
  return (
    <p className={`decision status-${m.status}`}>
      {t(`decision.${m.status}`, { who, time: formatDateTime(m.decidedAt, locale) })}
      {m.refundReason ? ` — ${t(`refund.reason.${m.refundReason as RefundReason}`)}` : ''}
      {m.noteToFan ? (
        <>
          {' '}
          {t('pane.noteToFan')} <UntrustedInline text={m.noteToFan} />
        </>
      ) : null}
    </p>
  );
}

type RefundReason = 'not_for_me' | 'inappropriate' | 'cannot_answer' | 'other';

function Replies({ thread }: { thread: Thread }) {
  const t = useT();
  const locale = useLocale();
  const attribute = useAttribution(thread.message.inboxId);
  if (thread.replies.length === 0) return null;
  return (
    <section aria-label={t('pane.replies')} className="thread-list">
      <h3>{t('pane.replies')}</h3>
      <ul>
        {thread.replies.map((r) => (
          <li key={r.id} className="reply">
            <div className="muted" data-attribution>
              {attribute({ id: r.authorId, name: r.authorName })} · {formatDateTime(r.createdAt, locale)}
              {r.localState !== 'synced' ? ` · ${t(`localState.${r.localState}`)}` : ''}
            </div>
            <UntrustedBlock text={r.body} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Notes({ thread }: { thread: Thread }) {
  const t = useT();
  const locale = useLocale();
  if (thread.notes.length === 0) return null;
  return (
    <section aria-label={t('pane.notes')} className="thread-list notes">
      <h3>{t('pane.notes')}</h3>
      <ul>
        {thread.notes.map((n) => (
          <li key={n.id} className="note">
            <div className="muted">
              <UntrustedInline text={n.authorName} /> · {formatDateTime(n.createdAt, locale)}
              {n.localState !== 'synced' ? ` · ${t(`localState.${n.localState}`)}` : ''}
            </div>
            <UntrustedBlock text={n.body} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function FanCard({ thread }: { thread: Thread }) {
  const t = useT();
  const locale = useLocale();
  const accountId = useUi((s) => s.accountId);
  const history = useFanHistory(accountId, thread.fan.id);
  const permissions = permissionsIn(useAccounts().data ?? [], thread.message.inboxId);
  const money = permissions.includes('view_earnings');
  const others = (history.data?.rows ?? []).filter((r) => r.id !== thread.message.id);
  return (
    <aside className="card fan-card" aria-labelledby="fan-card-title">
      <h3 id="fan-card-title">
        <UntrustedInline text={thread.fan.displayName} />
      </h3>
      <dl>
        {money ? (
          <>
            <dt>{t('fan.lifetime')}</dt>
            <dd>
              <bdi>{thread.fan.lifetime.length > 0 ? formatMoneyList(thread.fan.lifetime, locale) : t('fan.none')}</bdi>
            </dd>
          </>
        ) : null}
        <dt>{t('fan.messages')}</dt>
        <dd>{t('fan.messageCount', { count: thread.fan.messageCount })}</dd>
      </dl>
      <div className="fan-block">
        <BlockedChip fan={thread.fan} />
        <FanBlockButton thread={thread} />
      </div>
      <FanTerms thread={thread} canManage={permissions.includes('manage_fans')} />
      {others.length > 0 ? (
        <>
          <h4>{t('fan.history')}</h4>
          <ul className="fan-history">
            {others.map((r) => (
              // The body on lines of its own, in its own direction; price and status below it.
              // Inline, an English body wrapped in an Arabic card was split around them.
              <li key={r.id}>
                <UntrustedInline text={r.preview} className="fan-history-body" />
                <span className="muted fan-history-meta">
                  <Amount value={r.price} locale={locale} /> · {t(`status.${r.status}`)}
                </span>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="link"
            onClick={() =>
              useUi.getState().set({
                searching: true,
                filters: { ...EMPTY_FILTERS, fanId: thread.fan.id },
                selection: { ids: new Set(), anchor: null },
              })
            }
          >
            {t('fan.showAll')}
          </button>
        </>
      ) : null}
    </aside>
  );
}

type ThreadFan = Thread['fan'];

/** Where the fan is going: a block or unblock still in the outbox counts as done for what is shown. */
function blockedNow(fan: ThreadFan): boolean {
  return fan.queued ? fan.queued === 'block' : fan.blocked;
}

/** "Blocked" beside the fan's name, in the pane and on the card; "waiting to be sent" while queued. */
function BlockedChip({ fan }: { fan: ThreadFan }) {
  const t = useT();
  if (!blockedNow(fan) && fan.queued === null) return null;
  return (
    <span className="badge badge-danger blocked-chip" data-blocked={blockedNow(fan)}>
      {blockedNow(fan) ? t('fan.blocked') : t('fan.unblocking')}
      {fan.queued ? ` · ${t('localState.queued')}` : ''}
    </span>
  );
}

/** Block (through the confirm dialog) or unblock the fan, from their card. */
function FanBlockButton({ thread }: { thread: Thread }) {
  const t = useT();
  const unblock = useFanActions();
  const row = thread.message;
  if (blockedNow(thread.fan)) {
    return (
      <button
        type="button"
        className="secondary"
        onClick={() => void unblock(row, { kind: 'unblock', fanId: row.fanId })}
      >
        <UserCheck size={16} aria-hidden="true" />
        {t('command.unblockFan')}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="secondary danger-text"
      onClick={() => useUi.getState().set({ dialog: { kind: 'block', row } })}
    >
      <UserX size={16} aria-hidden="true" />
      {t('command.blockFan')}
    </button>
  );
}
