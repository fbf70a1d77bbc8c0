import { Id } from '../../shared/protocol';
import { ApiError } from '../errors';

/** Path parameters are ids; anything else is refused before any work. */
export function parseParams(raw: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const parsed = Id.safeParse(value);
    if (!parsed.success) throw new ApiError('invalid_request', `Invalid path parameter ${name}`, { field: name });
    params[name] = parsed.data;
  }
  return params;
}
