import { join } from 'node:path';
import { type Platform, startPlatform } from '../../server';

export interface DemoPlatformOptions {
  /** The app's data folder; the demo platform keeps its PGlite database in demo-platform/ under it. */
  dataDir: string;
  /** How often a demo fan sends a new paid DM; 0 for no live traffic. */
  liveTrafficMs?: number;
}

/**
 * The embedded demo: the reference platform started in-process on a random loopback port
 * the first time the core asks for it, and closed with the shell. Starting twice returns
 * the same platform.
 */
export function createDemoPlatformLauncher(options: DemoPlatformOptions) {
  let platform: Promise<Platform> | null = null;
  const liveTrafficMs = options.liveTrafficMs ?? 5000;
  return {
    async start(): Promise<{ url: string; email: string; password: string }> {
      platform ??= startPlatform({
        dataDir: join(options.dataDir, 'demo-platform'),
        port: 0,
        demo: liveTrafficMs > 0 ? { liveTrafficMs } : true,
      });
      let started: Platform;
      try {
        started = await platform;
      } catch (error) {
        platform = null;
        throw error;
      }
      if (!started.demoCredentials) throw new Error('The demo platform started without demo credentials.');
      const { email, password } = started.demoCredentials.creator;
      return { url: started.url, email, password };
    },
    async close(): Promise<void> {
      const running = platform;
      platform = null;
      if (running) await (await running.catch(() => null))?.close();
    },
  };
}
