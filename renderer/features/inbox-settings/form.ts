import { MAX_RESPONSE_WINDOW_MS, MIN_RESPONSE_WINDOW_MS } from '../../../shared/message';
import {
  type FeeSplit,
  type Money,
  MoneyError,
  money,
  parseMoney,
  splitFee,
  toMajorString,
} from '../../../shared/money';
import { type InboxSettings, MAX_DAILY_CAP, MAX_PENDING_LIMIT, MAX_PRICE_MINOR } from '../../../shared/protocol';
import { formatAmount } from '../../i18n/format';

const HOUR_MS = 3_600_000;

/** What the owner types, as typed: text until saved, so a half-typed price is never a number. */
export interface SettingsForm {
  acceptingPaidDms: boolean;
  price: string;
  currency: string;
  windowHours: string;
  paused: boolean;
  maxPending: string;
  dailyCap: string;
}

export type FormError = 'price' | 'window' | 'maxPending' | 'dailyCap';

export function formFrom(settings: InboxSettings): SettingsForm {
  return {
    acceptingPaidDms: settings.acceptingPaidDms,
    price: toMajorString(money(settings.price.minor, settings.price.currency)),
    currency: settings.price.currency,
    windowHours: String(settings.responseWindowMs / HOUR_MS),
    paused: settings.paused,
    maxPending: settings.maxPending === null ? '' : String(settings.maxPending),
    dailyCap: settings.dailyCap === null ? '' : String(settings.dailyCap),
  };
}

/** Digits in any script (Arabic-Indic included) to an integer; null for empty, NaN for junk. */
function wholeNumber(text: string): number | null {
  const western = text.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (western === '') return null;
  return /^\d{1,9}$/.test(western) ? Number(western) : Number.NaN;
}

/** The highest price the platform takes, shown in the currency being edited (for the error text). */
export function maxPriceText(form: SettingsForm, locale: string): string {
  try {
    return formatAmount({ minor: MAX_PRICE_MINOR, currency: form.currency }, locale);
  } catch {
    return String(MAX_PRICE_MINOR);
  }
}

export function parsePrice(form: SettingsForm, locale: string): Money | null {
  try {
    const price = parseMoney(form.price, form.currency, locale);
    return price.minor > 0 && price.minor <= MAX_PRICE_MINOR ? price : null;
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

/**
 * The changes to send, or the fields that are wrong. Only what differs from the current
 * settings is sent, so an edit made on another device to another field is not undone.
 */
export function patchFrom(
  form: SettingsForm,
  current: InboxSettings,
  locale: string,
): { patch: Partial<InboxSettings>; errors: FormError[] } {
  const errors: FormError[] = [];
  const price = parsePrice(form, locale);
  if (!price) errors.push('price');
  const hours = wholeNumber(form.windowHours);
  const windowMs = hours === null || Number.isNaN(hours) ? Number.NaN : hours * HOUR_MS;
  if (!(windowMs >= MIN_RESPONSE_WINDOW_MS && windowMs <= MAX_RESPONSE_WINDOW_MS)) errors.push('window');
  const maxPending = wholeNumber(form.maxPending);
  if (maxPending !== null && !(maxPending > 0 && maxPending <= MAX_PENDING_LIMIT)) errors.push('maxPending');
  const dailyCap = wholeNumber(form.dailyCap);
  if (dailyCap !== null && !(dailyCap > 0 && dailyCap <= MAX_DAILY_CAP)) errors.push('dailyCap');
  if (errors.length > 0 || !price) return { patch: {}, errors };
  const next: InboxSettings = {
    acceptingPaidDms: form.acceptingPaidDms,
    price: { minor: price.minor, currency: price.currency },
    responseWindowMs: windowMs,
    // Faster tiers are edited on their own (not by this form yet): kept as they are.
    fasterTiers: current.fasterTiers,
    paused: form.paused,
    maxPending,
    dailyCap,
  };
  const patch: Partial<InboxSettings> = {};
  for (const key of Object.keys(next) as Array<keyof InboxSettings>) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) Object.assign(patch, { [key]: next[key] });
  }
  return { patch, errors };
}

/** What the fan pays and what the creator keeps after the platform's fee, formatted. */
export function preview(
  form: SettingsForm,
  feeBps: number,
  locale: string,
): { split: FeeSplit; pays: string; fee: string; nets: string } | null {
  const price = parsePrice(form, locale);
  if (!price) return null;
  const split = splitFee(price, feeBps);
  return {
    split,
    pays: formatAmount(split.price, locale),
    fee: formatAmount(split.fee, locale),
    nets: formatAmount(split.net, locale),
  };
}
