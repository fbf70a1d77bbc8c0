import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/password';
import { hashToken, newToken } from '../../../server/auth/tokens';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password only, with a salt per hash', async () => {
    const a = await hashPassword('correct horse battery', cheap);
    const b = await hashPassword('correct horse battery', cheap);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(a.hash.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('treats differently composed Unicode of the same text as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-password', cheap);
    expect(await verifyPassword('cafe\u0301-password', stored)).toBe(true);
  });

  it('refuses hashes it does not understand instead of throwing', async () => {
    expect(await verifyPassword('x', { salt: '', hash: 'disabled' })).toBe(false);
  });
});

describe('bearer tokens', () => {
  it('are long, random and stored only as a hash', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
  });
});
