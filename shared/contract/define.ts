import { z } from 'zod';

/**
 * The bridge between the renderer and the core, declared once. Preload, ipcMain, the
 * browser host and the renderer's client are all typed by (and validate with) these
 * declarations, so the transports cannot drift apart.
 */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

export const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> => ({
  input,
  output,
});

/** Errors cross the bridge as values, never as thrown class instances. */
export const BRIDGE_ERROR_CODES = [
  'invalid_input',
  'unknown_call',
  'forbidden_sender',
  'not_found',
  'signed_out',
  'offline',
  'platform_error',
  'storage_full',
  'storage_locked',
  'storage_corrupt',
  'internal',
  // The platform would refuse this person (e.g. a manager without view_earnings).
  'forbidden',
  // This host cannot do it (e.g. a browser tab cannot open the system's file manager).
  'unsupported',
] as const;
export const BridgeErrorSchema = z.object({
  code: z.enum(BRIDGE_ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});
export type BridgeError = z.infer<typeof BridgeErrorSchema>;

export const BridgeResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: BridgeErrorSchema }),
]);
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** Thrown on the renderer side when a call comes back with an error value. */
export class BridgeCallError extends Error {
  readonly code: BridgeError['code'];
  readonly details: unknown;
  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
    this.code = error.code;
    this.details = error.details;
  }
}
