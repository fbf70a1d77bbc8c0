import { type Refusal, refusalText } from '../../shared/actions';
import type { BridgeError } from '../../shared/contract';

/**
 * The core's one error type. `bridgeCode` is what `dispatchCall` sends to the renderer
 * (it reads the property by name), so a thrown CoreError arrives as a clear error value.
 */
export class CoreError extends Error {
  readonly bridgeCode: BridgeError['code'];
  readonly details: unknown;
  constructor(bridgeCode: BridgeError['code'], message: string, details?: unknown) {
    super(message);
    this.name = 'CoreError';
    this.bridgeCode = bridgeCode;
    this.details = details;
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

function sqliteCode(error: unknown): string | null {
  if (error && typeof error === 'object' && typeof (error as SqliteLikeError).code === 'string') {
    return (error as SqliteLikeError).code as string;
  }
  return null;
}

/** Maps storage failures to errors people can act on, never the database's own text; anything else passes through. */
export function translateStorageError(error: unknown): unknown {
  if (error instanceof CoreError) return error;
  const code = sqliteCode(error);
  if (code === null) return error;
  if (code.startsWith('SQLITE_FULL')) {
    return new CoreError('storage_full', 'The disk is full: nothing was saved. Free some space and try again.');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new CoreError(
      'storage_locked',
      'The local database is locked by another program: nothing was saved. Close it and try again.',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new CoreError('storage_corrupt', 'The local database is damaged; it will be rebuilt from the platform.');
  }
  // Constraint failures are decisions the callers make (a feed entry set aside, a refusal);
  // they pass through to them. Anything else the database says stays on this device: its
  // text names tables and SQL, which is nothing a person can act on.
  if (code.startsWith('SQLITE_CONSTRAINT')) return error;
  if (code.startsWith('SQLITE_')) {
    return new CoreError('internal', STORAGE_FAILED);
  }
  return error;
}

const STORAGE_FAILED = 'The local database could not do this. Try again; if it keeps failing, restart the app.';

/** Runs a storage operation and rethrows storage failures as CoreErrors. */
export function guardStorage<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw translateStorageError(error);
  }
}

export function isSqliteCorruption(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== null && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/** The registry's verdict as a bridge error: who may not is "forbidden", what may not be now is "invalid_input". */
export function refusalError(refusal: Refusal): CoreError {
  const bridgeCode = refusal.code === 'forbidden' || refusal.code === 'not_member' ? 'forbidden' : 'invalid_input';
  return new CoreError(bridgeCode, refusalText(refusal), {
    code: refusal.code === 'not_member' ? 'forbidden' : refusal.code,
  });
}
