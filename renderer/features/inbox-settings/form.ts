import {
  MAX_RESPONSE_WINDOW_MS,
  MIN_RESPONSE_WINDOW_MS,
  type TierProblem,
  tierProblem,
  tiersOf,
} from '../../../shared/message';
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
  /** Faster tiers (#18), as typed: a sooner answer at its own price, in the inbox's currency. */
  tiers: TierForm[];
  paused: boolean;
  maxPending: string;
  dailyCap: string;
}

export interface TierForm {
  price: string;
  windowHours: string;
}

export type FormError = 'price' | 'window' | 'tiers' | 'maxPending' | 'dailyCap';

export function formFrom(settings: InboxSettings): SettingsForm {
  return {
    acceptingPaidDms: settings.acceptingPaidDms,
    price: toMajorString(money(settings.price.minor, settings.price.currency)),
    currency: settings.price.currency,
    windowHours: String(settings.responseWindowMs / HOUR_MS),
    tiers: settings.fasterTiers.map((tier) => ({
      price: toMajorString(money(tier.price.minor, tier.price.currency)),
      windowHours: String(tier.responseWindowMs / HOUR_MS),
    })),
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

export function parsePrice(form: Pick<SettingsForm, 'price' | 'currency'>, locale: string): Money | null {
  try {
    const price = parseMoney(form.price, form.currency, locale);
    return price.minor > 0 && price.minor <= MAX_PRICE_MINOR ? price : null;
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

type PricedTier = { price: Money; responseWindowMs: number };

/** Whole hours typed, as a window in ms; NaN when not a window at all. */
function windowFrom(text: string): number {
  const hours = wholeNumber(text);
  return hours === null || Number.isNaN(hours) ? Number.NaN : hours * HOUR_MS;
}

/**
 * The faster tiers as typed, read into terms, or the first problem with them. Past what
 * the form alone can tell (a price or a window that is not one), the rule is the
 * platform's own (shared/message/tiers.ts `tierProblem`), so the form refuses exactly
 * what the platform would.
 */
export function tiersFrom(
  form: SettingsForm,
  locale: string,
): { fasterTiers: PricedTier[]; problem: TierProblem | null } {
  const fasterTiers: PricedTier[] = [];
  for (const [index, typed] of form.tiers.entries()) {
    const price = parsePrice({ price: typed.price, currency: form.currency }, locale);
    if (!price) return { fasterTiers: [], problem: { code: 'tier_price_invalid', index } };
    const responseWindowMs = windowFrom(typed.windowHours);
    if (Number.isNaN(responseWindowMs)) return { fasterTiers: [], problem: { code: 'tier_window_invalid', index } };
    fasterTiers.push({ price: { minor: price.minor, currency: price.currency }, responseWindowMs });
  }
  const standard = parsePrice(form, locale);
  const responseWindowMs = windowFrom(form.windowHours);
  // Without valid standard terms, the standard fields carry the error; the tiers cannot be judged yet.
  if (!standard || Number.isNaN(responseWindowMs)) return { fasterTiers, problem: null };
  return { fasterTiers, problem: tierProblem({ price: standard, responseWindowMs, fasterTiers }) };
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
  const windowMs = windowFrom(form.windowHours);
  if (!(windowMs >= MIN_RESPONSE_WINDOW_MS && windowMs <= MAX_RESPONSE_WINDOW_MS)) errors.push('window');
  const tiers = tiersFrom(form, locale);
  if (tiers.problem) errors.push('tiers');
  const maxPending = wholeNumber(form.maxPending);
  if (maxPending !== null && !(maxPending > 0 && maxPending <= MAX_PENDING_LIMIT)) errors.push('maxPending');
  const dailyCap = wholeNumber(form.dailyCap);
  if (dailyCap !== null && !(dailyCap > 0 && dailyCap <= MAX_DAILY_CAP)) errors.push('dailyCap');
  if (errors.length > 0 || !price) return { patch: {}, errors };
  const next: InboxSettings = {
    acceptingPaidDms: form.acceptingPaidDms,
    price: { minor: price.minor, currency: price.currency },
    responseWindowMs: windowMs,
    fasterTiers: tiers.fasterTiers,
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

/** One tier's receipt: its window, what the fan pays, the platform's fee and what the creator nets. */
export interface TierPreview {
  windowMs: number;
  split: FeeSplit;
}

/**
 * What each tier typed so far earns after the platform's fee, fastest first (the order the
 * fan sees them): the standard terms and every faster tier whose price and window read.
 * Amounts are integers in minor units, split by the platform's own rule (`splitFee`).
 */
export function previewTiers(form: SettingsForm, feeBps: number, locale: string): TierPreview[] {
  const standard = parsePrice(form, locale);
  const windowMs = windowFrom(form.windowHours);
  const readable = form.tiers.flatMap((typed) => {
    const price = parsePrice({ price: typed.price, currency: form.currency }, locale);
    const responseWindowMs = windowFrom(typed.windowHours);
    return price && !Number.isNaN(responseWindowMs) ? [{ price, responseWindowMs }] : [];
  });
  // The standard terms are a tier like the others once they read; tiersOf lists fastest first.
  const offered: PricedTier[] =
    standard && !Number.isNaN(windowMs)
      ? tiersOf({ price: standard, responseWindowMs: windowMs, fasterTiers: readable })
      : tiersOf({
          price: standard ?? (readable[0]?.price as Money),
          // Not a window: sorts after every real one and is dropped.
          responseWindowMs: Number.POSITIVE_INFINITY,
          fasterTiers: readable,
        }).filter((tier) => Number.isFinite(tier.responseWindowMs));
  return offered.map((tier) => ({ windowMs: tier.responseWindowMs, split: splitFee(tier.price, feeBps) }));
}
