import { formatAmount, formatMoneyList, type MoneyLike } from '../i18n/format';

/**
 * Every standalone amount on screen (rows, reading pane, pending list, payouts) renders
 * through this: one format (`formatAmount`) inside its own bidi isolate, so an amount reads
 * the same in English and Arabic and cannot reorder what is around it. The locale is passed
 * in (the caller already has it) so a list of rows adds no hook per row.
 */
export function Amount({ value, locale }: { value: MoneyLike; locale: string }) {
  return <bdi className="amount">{formatAmount(value, locale)}</bdi>;
}

/** Totals per currency ("$12.50 · ¥1,200"), each amount isolated on its own. */
export function AmountList({ values, locale }: { values: readonly MoneyLike[]; locale: string }) {
  return <bdi className="amount">{formatMoneyList(values, locale)}</bdi>;
}
