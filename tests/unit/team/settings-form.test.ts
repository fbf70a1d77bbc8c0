import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formFrom, patchFrom, preview, previewTiers, tiersFrom } from '../../../renderer/features/inbox-settings/form';
import { peopleOn, presenceByMessage } from '../../../renderer/ui/Presence';
import { HOUR_MS } from '../../../shared/message';
import { toMajorString } from '../../../shared/money';
import { type InboxSettings, MAX_PRICE_MINOR } from '../../../shared/protocol';
import { inboxSettings } from '../../fixtures/core/feed';

const current = inboxSettings({ dailyCap: 20 });

describe('the inbox settings form', () => {
  const tiered: InboxSettings = inboxSettings({
    dailyCap: 20,
    fasterTiers: [{ price: { minor: 6_000, currency: 'USD' }, responseWindowMs: 24 * HOUR_MS }],
  });

  it('edits faster tiers: round-trips them, adds one, and sends only the tiers when they alone changed', () => {
    const form = formFrom(tiered);
    expect(form.tiers).toEqual([{ price: '60.00', windowHours: '24' }]);
    expect(patchFrom(form, tiered, 'en')).toEqual({ patch: {}, errors: [] });
    const more = { ...form, tiers: [...form.tiers, { price: '٤٠', windowHours: '٤٨' }] };
    expect(patchFrom(more, tiered, 'ar')).toEqual({
      patch: {
        fasterTiers: [
          { price: { minor: 6_000, currency: 'USD' }, responseWindowMs: 24 * HOUR_MS },
          { price: { minor: 4_000, currency: 'USD' }, responseWindowMs: 48 * HOUR_MS },
        ],
      },
      errors: [],
    });
    expect(patchFrom({ ...form, tiers: [] }, tiered, 'en').patch).toEqual({ fasterTiers: [] });
  });

  it.each([
    [[{ price: '0', windowHours: '24' }], { code: 'tier_price_invalid', index: 0 }],
    [[{ price: '60', windowHours: '' }], { code: 'tier_window_invalid', index: 0 }],
    [[{ price: '60', windowHours: '72' }], { code: 'tier_not_faster', index: 0 }],
    [
      [
        { price: '60', windowHours: '24' },
        { price: '50', windowHours: '24' },
      ],
      { code: 'tier_window_repeated', index: 1 },
    ],
  ])('refuses faster tiers %j as the platform would (%j), sending nothing', (tiers, problem) => {
    const form = { ...formFrom(current), tiers };
    expect(tiersFrom(form, 'en').problem).toEqual(problem);
    expect(patchFrom(form, current, 'en')).toEqual({ patch: {}, errors: ['tiers'] });
  });

  it('previews every tier fastest first; for every price, fee + net = price (fast-check)', () => {
    const minor = fc.integer({ min: 1, max: MAX_PRICE_MINOR });
    fc.assert(
      fc.property(
        minor,
        fc.uniqueArray(fc.record({ price: minor, hours: fc.integer({ min: 1, max: 71 }) }), {
          maxLength: 2,
          selector: (tier) => tier.hours,
        }),
        fc.integer({ min: 0, max: 10_000 }),
        (standard, faster, feeBps) => {
          const usd = (m: number) => toMajorString({ minor: m, currency: 'USD' });
          const form = {
            ...formFrom(current),
            price: usd(standard),
            tiers: faster.map((tier) => ({ price: usd(tier.price), windowHours: String(tier.hours) })),
          };
          const shown = previewTiers(form, feeBps, 'en');
          expect(shown.map((tier) => tier.windowMs)).toEqual(
            [...faster.map((tier) => tier.hours), 72].sort((a, b) => a - b).map((hours) => hours * HOUR_MS),
          );
          for (const { split, windowMs } of shown) {
            const typed =
              windowMs === 72 * HOUR_MS ? standard : faster.find((f) => f.hours * HOUR_MS === windowMs)?.price;
            expect(split.price.minor).toBe(typed);
            expect(split.fee.minor + split.net.minor).toBe(split.price.minor);
            expect(split.fee.minor).toBeGreaterThanOrEqual(0);
            expect(split.net.minor).toBeGreaterThanOrEqual(0);
            // The same split the single-price receipt shows for that price.
            expect(split).toEqual(preview({ ...form, price: usd(split.price.minor) }, feeBps, 'en')?.split);
          }
        },
      ),
    );
  });

  it('round-trips the current settings and sends only what changed', () => {
    const form = formFrom(current);
    expect(form).toMatchObject({ price: '25.00', currency: 'USD', windowHours: '72', maxPending: '', dailyCap: '20' });
    expect(patchFrom(form, current, 'en')).toEqual({ patch: {}, errors: [] });
    expect(patchFrom({ ...form, price: '30', paused: true, dailyCap: '' }, current, 'en')).toEqual({
      patch: { price: { minor: 3_000, currency: 'USD' }, paused: true, dailyCap: null },
      errors: [],
    });
  });

  it('reads Arabic digits and separators, and currencies without decimals', () => {
    const form = { ...formFrom(current), price: '١٢٫٥٠', windowHours: '٢٤', maxPending: '٥' };
    expect(patchFrom(form, current, 'ar').patch).toEqual({
      price: { minor: 1_250, currency: 'USD' },
      responseWindowMs: 24 * 3_600_000,
      maxPending: 5,
    });
    expect(patchFrom({ ...formFrom(current), price: '1500', currency: 'JPY' }, current, 'en').patch).toEqual({
      price: { minor: 1_500, currency: 'JPY' },
    });
  });

  it.each([
    [{ price: '0' }, ['price']],
    [{ price: '12.345' }, ['price']],
    [{ price: '-5' }, ['price']],
    [{ windowHours: '0' }, ['window']],
    [{ windowHours: '721' }, ['window']],
    [{ windowHours: '1.5' }, ['window']],
    [{ maxPending: '0', dailyCap: 'ten' }, ['maxPending', 'dailyCap']],
  ])('refuses %j, sending nothing', (change, errors) => {
    expect(patchFrom({ ...formFrom(current), ...change }, current, 'en')).toEqual({ patch: {}, errors });
  });

  it('previews what the fan pays and the creator nets with the platform fee, in integers', () => {
    const shown = preview({ ...formFrom(current), price: '9.99' }, 1_000, 'en');
    expect(shown?.split).toMatchObject({ price: { minor: 999 }, fee: { minor: 100 }, net: { minor: 899 } });
    expect(shown).toMatchObject({ pays: '$9.99', fee: '$1.00', nets: '$8.99' });
    const kwd = preview({ ...formFrom(current), price: '1.005', currency: 'KWD' }, 1_250, 'en');
    expect(kwd?.split.fee.minor).toBe(126);
    expect(kwd?.split.net.minor).toBe(879);
    expect(preview({ ...formFrom(current), price: 'abc' }, 1_000, 'en')).toBeNull();
  });
});

/** One person's presence on a message, as the platform sends it. */
const entry = (userId: string, name: string, messageId: string, state: 'viewing' | 'replying') => ({
  userId,
  name,
  messageId,
  state,
  until: 1,
});

describe('who is on a message', () => {
  it('lists each person once, replying before viewing, and only for this message', () => {
    const people = peopleOn('m-1', [
      entry('u-1', 'Sara', 'm-1', 'viewing'),
      entry('u-1', 'Sara', 'm-1', 'replying'),
      entry('u-2', 'Omar', 'm-2', 'replying'),
      entry('u-3', 'Badr', 'm-1', 'viewing'),
    ]);
    expect(people.map((p) => `${p.name}:${p.state}`)).toEqual(['Badr:viewing', 'Sara:replying']);
  });
});

describe('who is on each message of the list', () => {
  it('groups presence by message, each as peopleOn gives it', () => {
    const people = [
      entry('u-1', 'Sara', 'm-1', 'viewing'),
      entry('u-1', 'Sara', 'm-1', 'replying'),
      entry('u-2', 'Omar', 'm-2', 'viewing'),
    ];
    const byMessage = presenceByMessage(people);
    expect([...byMessage.keys()].sort()).toEqual(['m-1', 'm-2']);
    expect(byMessage.get('m-1')).toEqual(peopleOn('m-1', people));
    expect(byMessage.get('m-1')?.map((p) => p.state)).toEqual(['replying']);
    expect(byMessage.get('m-3')).toBeUndefined();
  });
});
