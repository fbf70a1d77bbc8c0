import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef } from 'react';
import type { InboxRow } from '../../../shared/contract';
import { urgency } from '../../../shared/message';
import { formatMoney } from '../../../shared/money';
import { formatDeadlineTime, formatDuration, toMoney } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { LIST_ID } from '../../ui/focus';
import { UntrustedInline } from '../../ui/SafeText';
import { usePlatformNow } from '../../ui/useNow';
import { nextFocus, selectRange, toggle } from './selection';
import type { CurrentList } from './useCurrentList';

export const ROW_HEIGHT = 68;
/** Browsers cap an element's height around 15–33M px; stay well under it. */
const MAX_VIRTUAL_ROWS = 200_000;

const estimateSize = () => ROW_HEIGHT;

export function optionId(messageId: string): string {
  return `msg-${messageId}`;
}

export function MessageList({ list, label }: { list: CurrentList; label: string }) {
  const t = useT();
  const locale = useLocale();
  const now = usePlatformNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const focusedId = useUi((s) => s.focusedId);
  const selection = useUi((s) => s.selection);
  const { rows, total, hasNextPage } = list;
  const count = Math.min(MAX_VIRTUAL_ROWS, hasNextPage ? Math.max(total, rows.length + 1) : rows.length);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    // Stable options: react-virtual recomputes every item's measurement (100k of them)
    // whenever estimateSize or getItemKey change identity. Rows have one fixed height, so
    // index keys are enough for it; React keys below are the message ids.
    estimateSize,
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

  useEffect(() => {
    if (focusedIndex >= 0) virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
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
        <p>{list.isError ? t('list.error') : t('list.empty')}</p>
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      id={LIST_ID}
      className="list"
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
              now={now}
              locale={locale}
              start={item.start}
              size={item.size}
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
  now: number;
  locale: string;
  start: number;
  size: number;
  onClick(row: InboxRow, event: React.MouseEvent): void;
}

const Row = memo(function Row({ row, index, setSize, focused, selected, now, locale, start, size, onClick }: RowProps) {
  const t = useT();
  const level = row.status === 'pending' ? urgency(row.deadline, now) : null;
  const classes = ['row', focused ? 'is-focused' : '', selected ? 'is-selected' : '', row.read ? '' : 'is-unread'];
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
      <div className="row-line">
        <span className="row-select" aria-hidden="true">
          {selected ? '✓' : ''}
        </span>
        <UntrustedInline text={row.fanName} className="row-fan" />
        {row.starred ? (
          <span className="row-star" role="img" aria-label={t('row.starred')}>
            ★
          </span>
        ) : null}
        <span className="row-price">
          <bdi>{formatMoney(toMoney(row.price), locale)}</bdi>
        </span>
      </div>
      <div className="row-line">
        <UntrustedInline text={row.preview} className="row-preview" />
        <RowStatus row={row} level={level} now={now} locale={locale} />
      </div>
      {row.labels.length > 0 ? (
        <div className="row-labels">
          {row.labels.slice(0, 3).map((l) => (
            <UntrustedInline key={l} text={l} className="chip" />
          ))}
        </div>
      ) : null}
      {!row.read ? <span className="visually-hidden">{t('row.unread')}</span> : null}
    </div>
  );
});

function RowStatus({
  row,
  level,
  now,
  locale,
}: {
  row: InboxRow;
  level: ReturnType<typeof urgency> | null;
  now: number;
  locale: string;
}) {
  const t = useT();
  // Past the deadline nothing queued can win any more: say so, whatever was waiting.
  if (row.status === 'pending' && row.deadline <= now) {
    return <span className="row-status urgency-overdue">{t('row.missed')}</span>;
  }
  if (row.pendingDecision) {
    return (
      <span className="row-status status-waiting">
        {row.pendingDecision === 'accept'
          ? t('row.acceptWaiting', { time: formatDeadlineTime(row.deadline, now, locale) })
          : t('row.refundWaiting')}
      </span>
    );
  }
  if (row.status !== 'pending') {
    return <span className={`row-status status-${row.status}`}>{t(`status.${row.status}`)}</span>;
  }
  if (row.snoozedUntil && row.snoozedUntil > now) {
    return (
      <span className="row-status">
        {t('row.snoozedUntil', { time: formatDeadlineTime(row.snoozedUntil, now, locale) })}
      </span>
    );
  }
  return (
    <span className={`row-status urgency-${level ?? 'normal'}`}>
      {t('time.left', { time: formatDuration(row.deadline - now, locale) })}
    </span>
  );
}
