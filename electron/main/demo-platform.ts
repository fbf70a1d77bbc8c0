import { join } from 'node:path';
import { type Platform, startPlatform } from '../../server';

/**
 * "Try the demo" in the desktop app: the reference platform in-process on a random
 * loopback port, PGlite in <userData>/demo-platform, live fan traffic every 5 s.
 * (The browser host has its own copy: neither shell may import the other.)
 */
export function createEmbeddedDemo(userDataDir: string) {
  let running: Promise<Platform> | null = null;
  return {
    async start() {
      const starting =
        running ??
        startPlatform({
          dataDir: join(userDataDir, 'demo-platform'),
          port: 0,
          demo: { liveTrafficMs: 5000 },
        });
      running = starting;
      const platform = await starting.catch((error: unknown) => {
        running = null;
        throw error;
      });
      const creator = platform.demoCredentials?.creator;
      if (!creator) throw new Error('The demo platform did not seed a demo creator.');
      return { url: platform.url, email: creator.email, password: creator.password };
    },
    async stop() {
      const platform = await running?.catch(() => null);
      running = null;
      await platform?.close();
    },
  };
}
