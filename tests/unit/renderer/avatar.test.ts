import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AVATAR_TONES, avatarTone, initials } from '../../../renderer/ui/Avatar';

describe('avatar', () => {
  it('initials take the first letter of the first and last word, in any script', () => {
    expect(initials('Layla Haddad')).toBe('LH');
    expect(initials('sam')).toBe('S');
    expect(initials('Omar al Nasser')).toBe('ON');
    expect(initials('ليلى حداد')).toBe('لح');
    expect(initials('  "Quoted"  name ')).toBe('QN');
    expect(initials('')).toBe('?');
    expect(initials('🙂')).toBe('?');
  });

  it('a person keeps one colour: the tone depends only on the key and stays in range', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        const tone = avatarTone(key);
        expect(tone).toBe(avatarTone(key));
        expect(Number.isInteger(tone) && tone >= 0 && tone < AVATAR_TONES).toBe(true);
      }),
    );
  });

  it('different people spread over the tones rather than sharing one', () => {
    const tones = new Set(Array.from({ length: 64 }, (_, i) => avatarTone(`user-${i}`)));
    expect(tones.size).toBe(AVATAR_TONES);
  });
});
