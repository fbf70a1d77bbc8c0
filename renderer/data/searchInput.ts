import type { CallInput } from '../../shared/contract';
import { HOUR_MS } from '../../shared/message';
import { parseMoney } from '../../shared/money';
import type { SearchFilters } from '../state/ui';

/**
 * The search form's text fields → the `search` call's input. Amount bounds are typed in
 * major units of the inbox currency and compared in minor units; anything that does not
 * parse is left out rather than guessed.
 */
export function searchInputFrom(
  accountId: string,
  inboxId: string | null,
  filters: SearchFilters,
  currency = 'USD',
  locale = 'en',
): CallInput<'search'> {
  const input: CallInput<'search'> = { accountId, inboxId, text: filters.text.slice(0, 200) };
  if (filters.status.length > 0) input.status = filters.status;
  const amount = (text: string) => {
    if (!text.trim()) return undefined;
    try {
      return parseMoney(text, currency, locale).minor;
    } catch {
      return undefined;
    }
  };
  const min = amount(filters.minAmount);
  const max = amount(filters.maxAmount);
  if (min !== undefined) input.minAmount = min;
  if (max !== undefined) input.maxAmount = max;
  if (filters.label.trim()) input.label = filters.label.trim();
  if (filters.fanId) input.fanId = filters.fanId;
  const hours = Number.parseInt(filters.deadlineWithinHours, 10);
  if (Number.isInteger(hours) && hours > 0) input.deadlineWithinMs = hours * HOUR_MS;
  const day = (text: string, endOfDay: boolean) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
    const at = new Date(`${text}T00:00:00`).getTime();
    if (Number.isNaN(at)) return undefined;
    return endOfDay ? at + 24 * HOUR_MS - 1 : at;
  };
  const from = day(filters.from, false);
  const to = day(filters.to, true);
  if (from !== undefined) input.from = from;
  if (to !== undefined) input.to = to;
  return input;
}

/** Whether any filter beyond the text is set (the filter button shows it). */
export function activeFilterCount(filters: SearchFilters): number {
  return [
    filters.status.length > 0,
    filters.minAmount.trim() !== '',
    filters.maxAmount.trim() !== '',
    filters.label.trim() !== '',
    filters.fanId !== '',
    filters.deadlineWithinHours !== '',
    filters.from !== '',
    filters.to !== '',
  ].filter(Boolean).length;
}
