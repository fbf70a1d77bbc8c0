import { describe, expect, it } from 'vitest';
import { fillReply, loadSavedReplies, storeSavedReplies, unknownVariables } from '../../../renderer/data/savedReplies';

describe('saved replies', () => {
  it('fills the fan name and amount, leaving unknown variables visible', () => {
    const text = fillReply('Hi {{fan}}, thanks for {{ amount }}! {{nope}}', { fan: 'Layla', amount: '$25.00' });
    expect(text).toBe('Hi Layla, thanks for $25.00! {{nope}}');
    expect(unknownVariables('{{fan}} {{nope}} {{Other}}')).toEqual(['nope', 'other']);
  });

  it('does not treat a value as a template (a fan named "{{amount}}" stays as typed)', () => {
    expect(fillReply('Hi {{fan}}', { fan: '{{amount}}', amount: '$1' })).toBe('Hi {{amount}}');
  });

  it('round-trips through storage and falls back to the defaults on junk', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    };
    const defaults = [{ id: 'd', title: 'Default', body: 'x' }];
    expect(loadSavedReplies(storage, defaults)).toBe(defaults);
    storeSavedReplies(storage, [{ id: '1', title: 'T', body: 'B' }]);
    expect(loadSavedReplies(storage, defaults)).toEqual([{ id: '1', title: 'T', body: 'B' }]);
    store.set('creator-inbox.saved-replies', '{not json');
    expect(loadSavedReplies(storage, defaults)).toBe(defaults);
    store.set('creator-inbox.saved-replies', JSON.stringify([{ id: 1 }, { id: '2', title: 'ok', body: 'b' }]));
    expect(loadSavedReplies(storage, defaults)).toEqual([{ id: '2', title: 'ok', body: 'b' }]);
  });
});
