import { describe, expect, it } from 'vitest';
import { attributionOf } from '../../../renderer/data/attribution';

const nour = { id: 'u-nour', name: 'Nour' };
const sara = { id: 'u-sara', name: 'Sara' };

describe('attribution: who did it, in one rule', () => {
  it('names the creator alone for what the creator did', () => {
    expect(attributionOf(nour, { id: nour.id, name: 'Nour' })).toEqual({
      key: 'attribution.self',
      values: { name: 'Nour' },
    });
  });

  it('says "Sara for Nour" for what a team member did', () => {
    expect(attributionOf(sara, { id: nour.id, name: 'Nour' })).toEqual({
      key: 'attribution.for',
      values: { name: 'Sara', owner: 'Nour' },
    });
  });

  it('says "refunded automatically" when nobody decided (the deadline passed)', () => {
    expect(attributionOf(null, { id: nour.id, name: 'Nour' })).toEqual({ key: 'attribution.automatic', values: {} });
  });

  it('goes by id when the owner is known, so a manager who shares the creator’s name is still "for" them', () => {
    const namesake = { id: 'u-other', name: 'Nour' };
    expect(attributionOf(namesake, { id: nour.id, name: 'Nour' }).key).toBe('attribution.for');
    // Before the team list is read, only the creator's name is known.
    expect(attributionOf(nour, { id: null, name: 'Nour' }).key).toBe('attribution.self');
    expect(attributionOf(sara, { id: null, name: 'Nour' }).key).toBe('attribution.for');
  });
});
