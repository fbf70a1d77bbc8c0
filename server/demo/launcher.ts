import { join } from 'node:path';
import { type Platform, startPlatform } from '../index';
import { demoSetup } from './seed';

export interface DemoLauncherOptions {
  /** The app's data folder; the demo platform keeps its PGlite database in demo-platform/ under it. */
  dataDir: string;
  /** How often a demo fan sends a new paid DM; 0 for no live traffic (default 5 s). */
  liveTrafficMs?: number;
}

/**
 * "Try the demo" for both shells (the Electron app and the browser host): the reference
 * platform started in-process on a random loopback port with the demo seeded (on first
 * "Try the demo", or earlier by `prewarm`), and closed with the shell. Starting twice
 * returns the same platform. Only this launcher brings demo seeding into an app.
 */
export interface DemoLauncher {
  start(): Promise<{ url: string; email: string; password: string }>;
  /** Boots the platform in the background so "Try the demo" does not wait for it. */
  prewarm(): Promise<unknown>;
  readonly running: boolean;
  /** Stops a prewarmed platform nobody asked for (the person connected elsewhere). */
  releaseIfUnclaimed(): Promise<void>;
  close(): Promise<void>;
}

export function createDemoLauncher(options: DemoLauncherOptions): DemoLauncher {
  let platform: Promise<Platform> | null = null;
  let claimed = false;
  const liveTrafficMs = options.liveTrafficMs ?? 5000;
  const boot = (): Promise<Platform> => {
    if (platform) return platform;
    const starting = startPlatform({
      dataDir: join(options.dataDir, 'demo-platform'),
      port: 0,
      demo: demoSetup(liveTrafficMs),
    });
    platform = starting;
    starting.catch(() => {
      if (platform === starting) platform = null;
    });
    return starting;
  };
  const close = async (): Promise<void> => {
    const running = platform;
    platform = null;
    if (running) await (await running.catch(() => null))?.close();
  };
  return {
    async start() {
      claimed = true;
      const started = await boot();
      if (!started.demoCredentials) throw new Error('The demo platform started without demo credentials.');
      const { email, password } = started.demoCredentials.creator;
      return { url: started.url, email, password };
    },
    prewarm() {
      return boot().catch(() => null);
    },
    get running(): boolean {
      return platform !== null;
    },
    async releaseIfUnclaimed() {
      if (!claimed) await close();
    },
    close,
  };
}
