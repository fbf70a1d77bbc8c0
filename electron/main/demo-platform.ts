import { join } from 'node:path';
import { type Platform, startPlatform } from '../../server';
import type { Account, EventName } from '../../shared/contract';

/**
 * "Try the demo" in the desktop app: the reference platform in-process on a random
 * loopback port, PGlite in <userData>/demo-platform, live fan traffic every 5 s. On first
 * run it boots while the welcome screen is read; if the person connects to a real platform
 * instead, the unclaimed demo stops. (The browser host has its own copy: neither shell may
 * import the other.)
 */
export function createEmbeddedDemo(userDataDir: string) {
  let running: Promise<Platform> | null = null;
  let claimed = false;
  const boot = () => {
    if (running) return running;
    const starting = startPlatform({
      dataDir: join(userDataDir, 'demo-platform'),
      port: 0,
      demo: { liveTrafficMs: 5000 },
    });
    running = starting;
    starting.catch(() => {
      if (running === starting) running = null;
    });
    return starting;
  };
  const stop = async () => {
    const platform = await running?.catch(() => null);
    running = null;
    await platform?.close();
  };
  return {
    async start() {
      claimed = true;
      const platform = await boot();
      const creator = platform.demoCredentials?.creator;
      if (!creator) throw new Error('The demo platform did not seed a demo creator.');
      return { url: platform.url, email: creator.email, password: creator.password };
    },
    stop,
    /** Called once at launch: boots the demo only when there is no account at all. */
    async prewarmOnFirstRun(core: {
      handlers: { 'accounts.list'(input: Record<string, never>): Promise<Account[]> };
      onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
    }): Promise<() => void> {
      if ((await core.handlers['accounts.list']({})).length > 0) return () => {};
      void boot().catch(() => null);
      const unsubscribe = core.onEvent((name, payload) => {
        if (name !== 'entities.changed' || !(payload as { kinds: string[] }).kinds.includes('accounts')) return;
        void core.handlers['accounts.list']({}).then((accounts) => {
          if (claimed || accounts.length === 0 || accounts.some((account) => account.demo)) return;
          unsubscribe();
          void stop();
        });
      });
      return unsubscribe;
    },
  };
}
