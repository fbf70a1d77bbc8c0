import type { z } from 'zod';
import { type CallInput, type CallName, type CallOutput, calls, isCallName } from './calls';
import { BridgeCallError, type BridgeError, type BridgeResult } from './define';

/** What the core implements: one async function per contract call, fed parsed input. */
export type CallHandlers = { [N in CallName]: (input: ParsedInput<N>) => Promise<CallOutput<N>> };
export type ParsedInput<N extends CallName> = z.infer<(typeof calls)[N]['input']>;

/**
 * The single entry point every transport uses (in-process, ipcMain, browser host):
 * checks the call name, parses the input with the contract's schema, and turns any
 * failure into an error value. Nothing unparsed reaches the core.
 */
export async function dispatchCall(
  handlers: CallHandlers,
  name: unknown,
  rawInput: unknown,
): Promise<BridgeResult<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'unknown_call', message: `Unknown bridge call: ${String(name).slice(0, 80)}` } };
  }
  const parsed = calls[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `Invalid input for ${name}`,
        details: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
      },
    };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toBridgeError(error) };
  }
}

/**
 * What the page is told about a failure nobody turned into a bridge error: a code and a
 * generic message. The error's own text (a stack's words, SQLite's, a library's) never
 * crosses the bridge: it can name tables, SQL, paths or other people's data.
 */
export const UNEXPECTED_ERROR_MESSAGE =
  'Something went wrong in the app. Try again; if it keeps failing, restart the app.';

/** Errors that know their bridge code (the core throws these) keep it; others are internal. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeCallError) return { code: error.code, message: error.message, details: error.details };
  if (error && typeof error === 'object' && 'bridgeCode' in error && 'message' in error) {
    const { bridgeCode, message, details } = error as {
      bridgeCode: BridgeError['code'];
      message: string;
      details?: unknown;
    };
    return { code: bridgeCode, message, details };
  }
  return { code: 'internal', message: UNEXPECTED_ERROR_MESSAGE };
}

/** The renderer-side view of any transport. */
export interface BridgeTransport {
  invoke(name: CallName, input: unknown): Promise<BridgeResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** Typed client over any transport: resolves with the value or throws BridgeCallError. */
export function createBridgeClient(transport: BridgeTransport) {
  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      const result = await transport.invoke(name, input);
      if (!result.ok) throw new BridgeCallError(result.error);
      return result.value as CallOutput<N>;
    },
    on: transport.on.bind(transport),
  };
}
export type BridgeClient = ReturnType<typeof createBridgeClient>;
