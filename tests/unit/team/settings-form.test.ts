import { describe, expect, it } from 'vitest';
import { formFrom, patchFrom, preview } from '../../../renderer/features/inbox-settings/form';
import { peopleOn, presenceByMessage } from '../../../renderer/ui/Presence';
import { inboxSettings } from '../../fixtures/core/feed';

const current = inboxSettings({ dailyCap: 20 });

describe('the inbox settings form', () => {
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
