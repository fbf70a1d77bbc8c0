import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Check, CircleAlert, Inbox, Star } from 'lucide-react';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { shallow } from 'zustand/shallow';
import type { InboxRow } from '../../../shared/contract';
import type { PresenceEntry } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { useAttribution } from '../../data/attribution';
import { teamKeys, usePresence } from '../../data/team';
import type { CurrentList } from '../../data/useCurrentList';
import { useLocale, useT } from '../../i18n/I18n';
import { type Density, usePrefs } from '../../state/prefs';
import { nextFocus, selectRange, toggle } from '../../state/selection';
import { useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { Avatar } from '../../ui/Avatar';
import { LIST_ID } from '../../ui/focus';
import { LabelDot } from '../../ui/LabelDot';
import { presenceByMessage } from '../../ui/Presence';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { EmptyState } from '../../ui/States';
import { TermsBadge } from '../../ui/TermsBadge';
import { singleLine } from '../../ui/text';
import { usePlatformClock } from '../../ui/useNow';
import { type RowClockView, rowClockView } from './rowClock';

/** Row heights per density (tokens --row-compact / --row-comfortable): 36 px fits 15+ rows at 800 px. */
export const ROW_HEIGHTS: Record<Density, number> = { compact: 36, comfortable: 56 };
/** Browsers cap an element's height around 15–33M px; stay well under it. */
const MAX_VIRTUAL_ROWS = 200_000;

// One stable function per density: react-virtual re-measures every item when it changes.
const ESTIMATES: Record<Density, () => number> = {
  compact: () => ROW_HEIGHTS.compact,
  comfortable: () => ROW_HEIGHTS.comfortable,
};

export function optionId(messageId: string): string {
  return `msg-${messageId}`;
}

export function MessageList({ list, label }: { list: CurrentList; label: string }) {
  const t = useT();
  const locale = useLocale();
  const scrollRef = useRef<HTMLDivElement>(null);
  const focusedId = useUi((s) => s.focusedId);
  const selection = useUi((s) => s.selection);
  const density = usePrefs((s) => s.density);
  const { rows, total, hasNextPage } = list;
  const memberNames = useMemberNames(rows[0]?.inboxId ?? null);
  const presence = usePresenceByMessage(rows[0]?.inboxId ?? null);
  const count = Math.min(MAX_VIRTUAL_ROWS, hasNextPage ? Math.max(total, rows.length + 1) : rows.length);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    // Stable options: react-virtual recomputes every item's measurement (100k of them)
    // whenever estimateSize or getItemKey change identity. Rows have one fixed height, so
    // index keys are enough for it; React keys below are the message ids.
    estimateSize: ESTIMATES[density],
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items[items.length - 1]?.index ?? 0;

  // Keyset pages: fetch the next page when the visible window nears the loaded end.
  useEffect(() => {
    if (hasNextPage && lastVisible >= rows.length - 30) list.fetchNextPage();
  }, [lastVisible, rows.length, hasNextPage, list]);

  // Keep a focused row: the first one on load, a neighbour when it leaves the view.
  const focusedIndex = focusedId === null ? -1 : rows.findIndex((r) => r.id === focusedId);
  const previousOrder = useRef<string[]>([]);
  useEffect(() => {
    const order = rows.map((r) => r.id);
    const current = useUi.getState().focusedId;
    if (order.length > 0 && (current === null || !order.includes(current))) {
      useUi.getState().set({ focusedId: nextFocus(previousOrder.current, order, current) });
    }
    previousOrder.current = order;
  }, [rows]);

  // Scroll only when the focused row is not already in view, judged from what the
  // virtualizer knows (its last scroll offset and size): scrollToIndex reads the list's
  // scroll height, forcing a layout right after the commit, and scrolls even to where it is.
  useEffect(() => {
    if (focusedIndex < 0) return;
    const item = virtualizer.measurementsCache[focusedIndex];
    const top = virtualizer.scrollOffset;
    const height = virtualizer.scrollRect?.height;
    if (item && top !== null && height && item.start >= top && item.end <= top + height) return;
    virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
  }, [focusedIndex, virtualizer]);

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const onRowClick = useCallback((row: InboxRow, event: React.MouseEvent) => {
    const ui = useUi.getState();
    if (event.shiftKey) {
      ui.set({
        selection: selectRange(
          ui.selection,
          rowsRef.current.map((r) => r.id),
          row.id,
        ),
        focusedId: row.id,
      });
    } else if (event.metaKey || event.ctrlKey) {
      ui.set({ selection: toggle(ui.selection, row.id), focusedId: row.id });
    } else {
      ui.set({ focusedId: row.id });
    }
    scrollRef.current?.focus({ preventScroll: true });
  }, []);

  if (!list.isLoading && rows.length === 0) {
    return (
      <div className="list-empty" id={LIST_ID} tabIndex={-1} data-results-for={list.resultsFor ?? undefined}>
        {list.isError ? (
          <EmptyState tone="error" icon={<CircleAlert size={28} />} title={t('list.error')} />
        ) : (
          <EmptyState icon={<Inbox size={28} />} title={t('list.empty')} />
        )}
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      id={LIST_ID}
      className={`list density-${density}`}
      role="listbox"
      aria-label={label}
      aria-multiselectable="true"
      aria-activedescendant={focusedIndex >= 0 && focusedId ? optionId(focusedId) : undefined}
      aria-busy={list.isLoading || list.isFetchingNextPage}
      data-results-for={list.resultsFor ?? undefined}
      tabIndex={0}
    >
      <div className="list-spacer" role="none" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) {
            return (
              <div
                key={item.key}
                className="row row-placeholder"
                role="none"
                style={{ transform: `translateY(${item.start}px)`, height: item.size }}
              >
                <span className="skeleton" />
              </div>
            );
          }
          return (
            <Row
              key={row.id}
              row={row}
              index={item.index}
              setSize={total}
              focused={row.id === focusedId}
              selected={selection.ids.has(row.id)}
              locale={locale}
              start={item.start}
              size={item.size}
              compact={density === 'compact'}
              assigneeName={row.assigneeId ? (memberNames.get(row.assigneeId) ?? null) : null}
              present={presence.get(row.id)}
              onClick={onRowClick}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowProps {
  row: InboxRow;
  index: number;
  setSize: number;
  focused: boolean;
  selected: boolean;
  locale: string;
  start: number;
  size: number;
  compact: boolean;
  /** The assignee's display name when the team is known; the avatar then shows their initials. */
  assigneeName: string | null;
  /** Teammates on this message now (viewing or replying), from presence. */
  present: readonly PresenceEntry[] | undefined;
  onClick(row: InboxRow, event: React.MouseEvent): void;
}

/**
 * One message: avatar · name · preview (+ labels) · assignee · amount · countdown chip.
 * The row reads in the UI's direction; the fan's name and preview are isolates in their own.
 * Compact puts everything on one line, comfortable gives the preview a line of its own.
 */
const Row = memo(function Row({
  row,
  index,
  setSize,
  focused,
  selected,
  locale,
  start,
  size,
  compact,
  assigneeName,
  present,
  onClick,
}: RowProps) {
  const t = useT();
  const classes = [
    'row',
    compact ? 'row-compact' : 'row-comfortable',
    focused ? 'is-focused' : '',
    selected ? 'is-selected' : '',
    row.read ? '' : 'is-unread',
  ];
  // Dense rows show a coloured dot per label (name in the tooltip and for screen readers),
  // so the preview keeps its room; comfortable rows have the width for chips.
  const labels =
    row.labels.length === 0 ? null : compact ? (
      <span className="row-labels row-label-dots" title={row.labels.map(singleLine).join(', ')}>
        {row.labels.slice(0, 3).map((l) => (
          <LabelDot key={l} label={l} />
        ))}
        <span className="visually-hidden">
          {row.labels.map((l) => (
            <UntrustedInline key={l} text={l} />
          ))}
        </span>
      </span>
    ) : (
      <span className="row-labels">
        {row.labels.slice(0, 3).map((l) => (
          <UntrustedInline key={l} text={l} className="chip chip-label" />
        ))}
      </span>
    );
  const status = <RowStatus row={row} locale={locale} />;
  // The terms badge (#18) sits beside the money; a free pass moved none, so it stands in its place.
  const price = row.free ? (
    <span className="row-price">
      <TermsBadge message={row} locale={locale} />
    </span>
  ) : (
    <>
      <TermsBadge message={row} locale={locale} yields />
      <span className="row-price num">
        <Amount value={row.price} locale={locale} />
      </span>
    </>
  );
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox owns keyboard handling (j/k, x, Enter).
    <div
      id={optionId(row.id)}
      role="option"
      tabIndex={-1}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={classes.filter(Boolean).join(' ')}
      style={{ transform: `translateY(${start}px)`, height: size }}
      onClick={(event) => onClick(row, event)}
    >
      <span className="row-lead" aria-hidden="true">
        {selected ? <Check size={14} className="row-check" /> : <Avatar name={row.fanName} id={row.fanId} size="sm" />}
      </span>
      {compact ? (
        <>
          <UntrustedInline text={row.fanName} className="row-fan" />
          <span className="row-middle">
            <UntrustedInline text={row.preview} className="row-preview" />
            {labels}
          </span>
          <RowMarks row={row} assigneeName={assigneeName} present={present} />
          {price}
          {status}
        </>
      ) : (
        <span className="row-stack">
          <span className="row-line">
            <UntrustedInline text={row.fanName} className="row-fan" />
            <RowMarks row={row} assigneeName={assigneeName} present={present} />
            {price}
          </span>
          <span className="row-line">
            <UntrustedInline text={row.preview} className="row-preview" />
            {labels}
            {status}
          </span>
        </span>
      )}
      {!row.read ? <span className="visually-hidden">{t('row.unread')}</span> : null}
    </div>
  );
});

/** Names of the shown inbox's team, for assignee avatars (one query for the whole list). */
function useMemberNames(inboxId: string | null): Map<string, string> {
  const accountId = useUi((s) => s.accountId);
  const team = useQuery({
    queryKey: teamKeys.team(accountId ?? '', inboxId ?? ''),
    queryFn: () => getBridge().call('team.members', { accountId: accountId ?? '', inboxId: inboxId ?? '' }),
    enabled: Boolean(accountId && inboxId),
    retry: false,
  });
  const members = team.data?.members;
  return useMemo(() => new Map((members ?? []).map((m) => [m.userId, m.displayName])), [members]);
}

/** Who of the team is on each message of the shown inbox now (one query for the whole list). */
function usePresenceByMessage(inboxId: string | null): Map<string, PresenceEntry[]> {
  const accountId = useUi((s) => s.accountId);
  const people = usePresence(accountId, inboxId).data;
  return useMemo(() => presenceByMessage(people ?? []), [people]);
}

/**
 * Starred, someone of the team on it now (Front's "someone else is here"), and assigned,
 * as small marks between the text and the money.
 */
function RowMarks({
  row,
  assigneeName,
  present,
}: {
  row: InboxRow;
  assigneeName: string | null;
  present: readonly PresenceEntry[] | undefined;
}) {
  const t = useT();
  const here = present?.[0];
  if (!row.starred && !row.assigneeId && !here) return null;
  return (
    <span className="row-marks">
      {here ? (
        <span className={`row-presence presence-${here.state}`}>
          <Avatar
            name={here.name}
            id={here.userId}
            size="xs"
            label={t(here.state === 'replying' ? 'presence.replying' : 'presence.viewing', {
              name: untrustedPlain(here.name),
            })}
          />
        </span>
      ) : null}
      {row.starred ? (
        <span className="row-star" role="img" aria-label={t('row.starred')}>
          <Star size={13} aria-hidden="true" fill="currentColor" />
        </span>
      ) : null}
      {row.assigneeId ? (
        <Avatar
          name={assigneeName ?? '·'}
          id={row.assigneeId}
          size="xs"
          label={assigneeName ? t('row.assignedTo', { name: untrustedPlain(assigneeName) }) : t('row.assigned')}
        />
      ) : null}
    </span>
  );
}

/** The compact attribution hint of a decided row: "Sara for Nour", "Nour", or "refunded automatically". */
function DecidedBy({ row }: { row: InboxRow }) {
  const attribute = useAttribution(row.inboxId);
  const text = attribute(row.status === 'expired' ? null : row.decidedBy);
  return (
    <span className="row-by" data-attribution title={text}>
      {text}
    </span>
  );
}

/**
 * The row's status chip: the one part of a row that follows the clock. It reads the shared
 * second clock itself and re-renders only when its text or urgency changes (about once a
 * minute for a countdown), so a tick re-renders neither the list nor the rows.
 */
const RowStatus = memo(function RowStatus({ row, locale }: { row: InboxRow; locale: string }) {
  const view = usePlatformClock((now) => rowClockView(row, now, locale), shallow);
  return <RowStatusChip row={row} view={view} />;
});

function RowStatusChip({ row, view }: { row: InboxRow; view: RowClockView }) {
  const t = useT();
  switch (view.kind) {
    case 'freeLate':
      return <span className="row-status chip status-waiting">{t('row.freeLate')}</span>;
    case 'missed':
      return <span className="row-status chip urgency-overdue">{t('row.missed')}</span>;
    case 'acceptWaiting':
      return <span className="row-status chip status-waiting">{t('row.acceptWaiting', { time: view.time })}</span>;
    case 'refundWaiting':
      return <span className="row-status chip status-waiting">{t('row.refundWaiting')}</span>;
    case 'decided':
      return (
        <>
          <span className={`row-status chip status-${row.status}`}>{t(`status.${row.status}`)}</span>
          <DecidedBy row={row} />
        </>
      );
    case 'snoozed':
      return <span className="row-status chip status-snoozed">{t('row.snoozedUntil', { time: view.time })}</span>;
    case 'countdown':
      return (
        <span className={`row-status chip num urgency-${view.level}`}>
          {/* The chip shows the bare countdown; the words are there for screen readers. Its
              second unit yields in a narrow Arabic list, where unit words are long — never under 2 h. */}
          <span aria-hidden="true">
            {view.major}
            {view.minor ? <span className={view.minorYields ? 'yield-ar' : undefined}> {view.minor}</span> : null}
          </span>
          <span className="visually-hidden">{t('time.left', { time: view.spoken })}</span>
        </span>
      );
  }
}
