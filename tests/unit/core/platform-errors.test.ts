import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/errors';
import { PlatformError } from '../../../electron/core/sync/http';
import { bridgeCodeFor, fromPlatformError } from '../../../electron/core/sync/platform-errors';
import { toBridgeError, UNEXPECTED_ERROR_MESSAGE } from '../../../shared/contract';

type Kind = PlatformError['kind'];

/** Every platform failure the HTTP layer can raise, and the one bridge code it becomes. */
const TABLE: Array<[Kind, number | null, string]> = [
  ['network', null, 'offline'],
  ['unauthenticated', 401, 'signed_out'],
  ['final', 400, 'invalid_input'],
  ['final', 403, 'forbidden'],
  ['final', 404, 'not_found'],
  ['final', 409, 'platform_error'],
  ['final', 422, 'platform_error'],
  ['retryable', 429, 'platform_error'],
  ['retryable', 503, 'platform_error'],
  ['malformed', 200, 'platform_error'],
];

describe('platform error → bridge error (the one mapping)', () => {
  it.each(TABLE)('%s %s becomes %s, whoever asks', (kind, status, code) => {
    const error = new PlatformError(kind, 'The platform says no.', status, null);
    expect(bridgeCodeFor(error)).toBe(code);
    // Callers with their own words (team, sign-in, payout, outbox) keep the same code.
    const plain = toBridgeError(fromPlatformError(error));
    const worded = toBridgeError(
      fromPlatformError(error, {
        offline: 'offline words',
        signedOut: 'signed-out words',
        refused: (m) => `refused: ${m}`,
        unexpected: 'unexpected words',
      }),
    );
    expect(plain.code).toBe(code);
    expect(worded.code).toBe(code);
  });

  it('keeps the platform text for refusals, adds the caller context, and carries the platform code', () => {
    const error = new PlatformError('final', 'Not enough balance.', 409, 'insufficient_funds');
    expect(toBridgeError(fromPlatformError(error))).toEqual({
      code: 'platform_error',
      message: 'Not enough balance.',
      details: { code: 'insufficient_funds', status: 409 },
    });
    const payout = toBridgeError(fromPlatformError(error, { refused: (m) => `The platform refused the payout: ${m}` }));
    expect(payout.message).toBe('The platform refused the payout: Not enough balance.');
  });

  it('says offline and signed-out in the caller words, never the socket error text', () => {
    const network = new PlatformError('network', 'The platform could not be reached: ECONNREFUSED 127.0.0.1:9');
    expect(toBridgeError(fromPlatformError(network)).message).not.toContain('ECONNREFUSED');
    expect(toBridgeError(fromPlatformError(network, { offline: 'No payout was requested.' })).message).toBe(
      'No payout was requested.',
    );
    const signedOut = new PlatformError('unauthenticated', 'bad token', 401, 'unauthenticated');
    expect(toBridgeError(fromPlatformError(signedOut, { signedOut: 'Sign in again to request a payout.' }))).toEqual({
      code: 'signed_out',
      message: 'Sign in again to request a payout.',
      details: { code: 'unauthenticated' },
    });
  });

  it('leaves CoreErrors as they are and maps storage failures without the database text', () => {
    const core = new CoreError('forbidden', 'Owner only.');
    expect(fromPlatformError(core)).toBe(core);
    const full = Object.assign(new Error('SQLITE_FULL: database or disk is full (table outbox)'), {
      code: 'SQLITE_FULL',
    });
    const bridged = toBridgeError(fromPlatformError(full));
    expect(bridged.code).toBe('storage_full');
    expect(bridged.message).not.toContain('outbox');
  });

  it('never lets another error own text through: generic, or the caller words', () => {
    const odd = new TypeError("Cannot read properties of undefined (reading 'secret_column')");
    expect(toBridgeError(fromPlatformError(odd))).toEqual({ code: 'internal', message: UNEXPECTED_ERROR_MESSAGE });
    expect(toBridgeError(fromPlatformError(odd, { unexpected: 'Signing in failed on this device.' }))).toEqual({
      code: 'internal',
      message: 'Signing in failed on this device.',
      details: undefined,
    });
  });
});
