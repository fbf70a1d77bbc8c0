import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;
// N=2^15 is OWASP's floor for scrypt; 64 MiB of memory per hash at r=8.
const COST: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 128 * 1024 * 1024 };

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, cost, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export interface PasswordHash {
  salt: string;
  hash: string;
}

/** `N`, `r`, `p` ride along in the stored hash so the cost can be raised later. */
export async function hashPassword(password: string, cost: ScryptOptions = COST): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return { salt: salt.toString('base64'), hash: `scrypt$${cost.N}$${cost.r}$${cost.p}$${key.toString('base64')}` };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const [scheme, n, r, p, encoded] = stored.hash.split('$');
  if (scheme !== 'scrypt' || !encoded) return false;
  const expected = Buffer.from(encoded, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
