import type { DemoCredentials } from '../index';
import type { PasswordHasher } from '../services/accounts';
import type { Services } from '../services/context';

/** Filled in by the demo task; kept as a stub so the platform boots. */
export async function seedDemo(_services: Services, _hasher: PasswordHasher): Promise<DemoCredentials> {
  throw new Error('Demo seeding is not written yet');
}

export function startLiveTraffic(
  _services: Services,
  _everyMs: number,
  _onError: (e: unknown) => void,
): () => Promise<void> {
  return async () => undefined;
}
