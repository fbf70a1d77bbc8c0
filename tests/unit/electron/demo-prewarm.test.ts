import { describe, expect, it } from 'vitest';
import type { DemoLauncher } from '../../../server/demo/launcher';
import { prewarmDemoOnFirstRun } from '../../../server/demo/prewarm';
import type { Account, EventName } from '../../../shared/contract';

/** A core that only lists accounts and emits events, and a launcher that records what it was asked. */
function fakes(initial: Partial<Account>[]) {
  let accounts = initial as Account[];
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  const core = {
    handlers: { 'accounts.list': async () => accounts },
    onEvent(listener: (name: EventName, payload: unknown) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const asked: string[] = [];
  const demo = {
    prewarm: async () => asked.push('prewarm'),
    releaseIfUnclaimed: async () => {
      asked.push('release');
    },
  } as unknown as DemoLauncher;
  const accountsChanged = async (next: Partial<Account>[]) => {
    accounts = next as Account[];
    for (const listener of listeners)
      listener('entities.changed', { accountId: 'x', inboxId: null, kinds: ['accounts'] });
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { core, demo, asked, accountsChanged, listeners };
}

describe('first-run demo warm-up (fake core and launcher)', () => {
  it('boots the demo platform in the background when there is no account yet', async () => {
    const { core, demo, asked } = fakes([]);
    await prewarmDemoOnFirstRun(core, demo);
    expect(asked).toEqual(['prewarm']);
  });

  it('does nothing when an account exists already', async () => {
    const { core, demo, asked, listeners } = fakes([{ id: 'a', demo: false }]);
    await prewarmDemoOnFirstRun(core, demo);
    expect(asked).toEqual([]);
    expect(listeners.size).toBe(0);
  });

  it('stops the unclaimed demo once the person connects to a real platform, and stops listening', async () => {
    const { core, demo, asked, accountsChanged, listeners } = fakes([]);
    await prewarmDemoOnFirstRun(core, demo);
    await accountsChanged([{ id: 'real', demo: false }]);
    expect(asked).toEqual(['prewarm', 'release']);
    expect(listeners.size).toBe(0);
  });

  it('keeps the demo when the person tries it', async () => {
    const { core, demo, asked, accountsChanged } = fakes([]);
    await prewarmDemoOnFirstRun(core, demo);
    await accountsChanged([{ id: 'demo', demo: true }]);
    await accountsChanged([
      { id: 'demo', demo: true },
      { id: 'real', demo: false },
    ]);
    expect(asked).toEqual(['prewarm']);
  });
});
