import type { CallHandlers, EventName } from '../../shared/contract';
import { compare, formatMoney, type Money, sumByCurrency } from '../../shared/money';
import type { MainLocale, MainStrings } from './strings';

/** What the dock badge, the tray and the notifications are computed from. */
export interface AttentionSnapshot {
  pending: number;
  /** Per currency: what will be refunded automatically within 24 hours. */
  atRisk: Money[];
}

export interface Notice {
  kind: 'new_paid' | 'expiring';
  title: string;
  body: string;
}

export function badgeLabel(count: number): string {
  return count <= 0 ? '' : count > 99 ? '99+' : String(count);
}

function increased(previous: readonly Money[], next: readonly Money[]): Money[] {
  return next.filter((amount) => {
    const before = previous.find((p) => p.currency === amount.currency);
    return amount.minor > 0 && (!before || compare(amount, before) > 0);
  });
}

/**
 * Which notifications a change deserves: new paid messages when the pending count grows
 * (not on the first look, which is not news), and money about to expire whenever the
 * amount at risk grows in any currency, including at launch — that one is worth a nudge.
 */
export function planNotices(
  previous: AttentionSnapshot | null,
  next: AttentionSnapshot,
  strings: MainStrings,
  locale: MainLocale,
): Notice[] {
  const notices: Notice[] = [];
  if (previous && next.pending > previous.pending) {
    notices.push({
      kind: 'new_paid',
      title: strings.newPaidTitle,
      body: strings.newPaidBody(next.pending - previous.pending),
    });
  }
  const growing = increased(previous?.atRisk ?? [], next.atRisk);
  if (growing.length > 0) {
    const amounts = next.atRisk
      .filter((amount) => amount.minor > 0)
      .map((amount) => formatMoney(amount, locale))
      .join(', ');
    notices.push({ kind: 'expiring', title: strings.expiringTitle, body: strings.expiringBody(amounts) });
  }
  return notices;
}

/** Pending paid messages and money at risk, across every signed-in account and inbox. */
export async function readAttention(handlers: CallHandlers): Promise<AttentionSnapshot> {
  const accounts = await handlers['accounts.list']({});
  let pending = 0;
  const atRisk: Money[] = [];
  for (const account of accounts) {
    const counts = await handlers['inbox.counts']({ accountId: account.id, inboxId: null });
    pending += counts.views.find((view) => view.view === 'pending' && view.label === null)?.count ?? 0;
    atRisk.push(...counts.atRisk24h);
  }
  return { pending, atRisk: sumByCurrency(atRisk) };
}

const WATCHED_KINDS = new Set(['counts', 'accounts', 'message']);

/**
 * Keeps the badge and tray in step with the core and raises notifications, re-reading the
 * counts (debounced) whenever the core says they may have changed.
 */
export function watchAttention(options: {
  core: { handlers: CallHandlers; onEvent(listener: (name: EventName, payload: unknown) => void): () => void };
  strings: MainStrings;
  locale: MainLocale;
  show(snapshot: AttentionSnapshot): void;
  notify(notice: Notice): void;
  debounceMs?: number;
  /** Money nears its deadline with no event at all, so look again now and then. */
  intervalMs?: number;
  onError?(error: unknown): void;
}): () => void {
  let previous: AttentionSnapshot | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;

  const refresh = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const next = await readAttention(options.core.handlers);
      options.show(next);
      for (const notice of planNotices(previous, next, options.strings, options.locale)) options.notify(notice);
      previous = next;
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), options.debounceMs ?? 400);
  };

  const stop = options.core.onEvent((name, payload) => {
    if (name !== 'entities.changed') return;
    const kinds = (payload as { kinds?: string[] }).kinds ?? [];
    if (kinds.some((kind) => WATCHED_KINDS.has(kind))) schedule();
  });
  const interval = setInterval(() => void refresh(), options.intervalMs ?? 10 * 60_000);
  void refresh();
  return () => {
    stop();
    clearInterval(interval);
    if (timer) clearTimeout(timer);
  };
}
