import { z } from 'zod';
import { type BridgeResult, BridgeResultSchema } from './define';

/**
 * How the two shells carry the contract. Declared here, once, because each side of each
 * transport lives in a different area (renderer ↔ browser host).
 */

/**
 * Browser host: the WebSocket path, and the query parameter of the launch address that
 * carries a one-time code (exchanged for an HttpOnly session cookie, then dropped from
 * the address). The bridge socket is authorized by that cookie, never by its URL.
 */
export const WS_BRIDGE_PATH = '/bridge';
export const LAUNCH_CODE_PARAM = 'code';

/** Largest WebSocket frame the host accepts (bulk actions on 1000 ids fit comfortably). */
export const MAX_WS_FRAME_BYTES = 1024 * 1024;

/** renderer → host */
export const WsRequestSchema = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(100),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequestSchema>;

/** host → renderer: the answer to one request, or a pushed event. */
export const WsServerFrameSchema = z.union([
  z.object({ type: z.literal('result'), id: z.number().int(), result: BridgeResultSchema }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type WsServerFrame =
  | { type: 'result'; id: number; result: BridgeResult<unknown> }
  | { type: 'event'; name: string; payload: unknown };
