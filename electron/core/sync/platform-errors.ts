import type { BridgeError } from '../../../shared/contract';
import { CoreError, translateStorageError } from '../errors';
import { PlatformError } from './http';

type BridgeCode = BridgeError['code'];

/** Final refusals whose HTTP status has a bridge code of its own; every other one is `platform_error`. */
const FINAL_STATUS_CODES: Readonly<Partial<Record<number, BridgeCode>>> = {
  400: 'invalid_input',
  403: 'forbidden',
  404: 'not_found',
};

/** The one mapping from a platform failure to the bridge code the renderer receives. */
export function bridgeCodeFor(error: PlatformError): BridgeCode {
  switch (error.kind) {
    case 'network':
      return 'offline';
    case 'unauthenticated':
      return 'signed_out';
    case 'final':
      return FINAL_STATUS_CODES[error.status ?? 0] ?? 'platform_error';
    default:
      return 'platform_error';
  }
}

/**
 * Words a caller puts in its own context (a payout, a sign-in). The code never changes
 * with the caller: only what the person reads does.
 */
export interface PlatformWording {
  offline?: string;
  signedOut?: string;
  /** How the platform's own refusal text is introduced, e.g. "The platform refused the payout: …". */
  refused?: (platformMessage: string) => string;
  /** Said for a failure that is neither the platform's nor storage's (its own text stays on this device). */
  unexpected?: string;
}

const OFFLINE = 'The platform cannot be reached now; try again online.';
const SIGNED_OUT = 'Sign in again to do this.';

/**
 * Any failure of a call to the platform as the error the bridge sends: platform failures
 * through `bridgeCodeFor`, storage failures through `translateStorageError`, CoreErrors as
 * they are. Anything else passes through (the bridge then says only "internal"), unless
 * the caller gave words for it.
 */
export function fromPlatformError(error: unknown, wording: PlatformWording = {}): unknown {
  if (error instanceof CoreError) return error;
  if (!(error instanceof PlatformError)) {
    const storage = translateStorageError(error);
    if (storage instanceof CoreError || wording.unexpected === undefined) return storage;
    return new CoreError('internal', wording.unexpected);
  }
  const code = bridgeCodeFor(error);
  if (code === 'offline') return new CoreError(code, wording.offline ?? OFFLINE);
  if (code === 'signed_out') return new CoreError(code, wording.signedOut ?? SIGNED_OUT, { code: error.code });
  const message = wording.refused ? wording.refused(error.message) : error.message;
  return new CoreError(code, message, { code: error.code, status: error.status });
}
