import type { Account, EventName } from '../../shared/contract';
import type { DemoLauncher } from './launcher';

interface AccountsCore {
  handlers: { 'accounts.list'(input: Record<string, never>): Promise<Account[]> };
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
}

/**
 * First run (no account yet): the demo platform's first start migrates and seeds a fresh
 * PGlite folder, which takes seconds, so it starts while the person reads the welcome
 * screen. Once they connect to a real platform instead, the unclaimed demo is stopped.
 */
export async function prewarmDemoOnFirstRun(core: AccountsCore, demo: DemoLauncher): Promise<() => void> {
  if ((await core.handlers['accounts.list']({})).length > 0) return () => {};
  void demo.prewarm();
  const stop = core.onEvent((name, payload) => {
    if (name !== 'entities.changed' || !(payload as { kinds: string[] }).kinds.includes('accounts')) return;
    void core.handlers['accounts.list']({}).then((accounts) => {
      if (accounts.length > 0 && accounts.every((account) => !account.demo)) {
        stop();
        void demo.releaseIfUnclaimed();
      }
    });
  });
  return stop;
}
