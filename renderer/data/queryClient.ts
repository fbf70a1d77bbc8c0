import { notifyManager, QueryClient } from '@tanstack/react-query';
import { BridgeCallError } from '../../shared/contract';

/**
 * Bridge calls are local (IPC or a loopback socket to the core): never paused by the
 * browser's idea of being offline, never retried blindly (the core answers for itself),
 * and kept fresh by `entities.changed` events instead of polling.
 */
export function createQueryClient(): QueryClient {
  // Cache updates reach the screen in the same task (a microtask) instead of a later
  // setTimeout: a key's optimistic effect is drawn in the next frame even when the page
  // is busy with socket messages.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        staleTime: Number.POSITIVE_INFINITY,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        retry: (failures, error) =>
          failures < 2 &&
          error instanceof BridgeCallError &&
          error.code === 'internal' &&
          error.message.includes('lost'),
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
