import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createDemoLauncherInWorker } from '../../server/demo/in-worker';
import type { DemoLauncher } from '../../server/demo/launcher';
import { prewarmDemoOnFirstRun } from '../../server/demo/prewarm';
import { LAUNCH_CODE_PARAM } from '../../shared/contract';
import { createMemoryVault } from '../core/vault';
import { createCoreInWorker } from '../core/worker/host';
import { createHostServer } from './http-server';
import { LaunchAccess } from './launch-access';
import { openInBrowser } from './open-browser';
import { RENDERER_BUILD_DIR, REPO_ROOT } from './paths';
import { assertRendererBuilt, ensureRendererBuild } from './renderer-build';
import type { HostIdentity } from './request-guard';
import { type BridgeCore, createSocketBridge } from './socket-bridge';

/** The browser host only ever listens here: the page and its bridge never leave the machine. */
export const LOOPBACK = '127.0.0.1';

export interface BrowserHostCore extends BridgeCore {
  close(): Promise<void>;
}

export interface BrowserHostOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Open the default browser at the address. Default false (the CLI turns it on). */
  open?: boolean;
  /** The embedded demo platform: false to offer none; liveTrafficMs for how often fans write (default 5000). */
  demo?: boolean | { liveTrafficMs?: number };
  /** On first run (no account), boot the demo platform in the background. Default false (the CLI turns it on). */
  prewarmDemo?: boolean;
  /** Build the renderer first when it is stale ('if-stale'), never ('never', the default), or always. */
  build?: 'if-stale' | 'never' | 'always';
  rendererDir?: string;
  /** For tests of the transport alone; by default the real core is created on dataDir. */
  createCore?: (demo: DemoLauncher | undefined) => Promise<BrowserHostCore>;
}

export interface BrowserHost {
  /** An address to open: carries a one-time launch code (spent by the first browser that opens it). */
  url: string;
  origin: string;
  port: number;
  /** Another one-time launch address (for another browser, or after the first was spent). */
  newLaunchUrl(): string;
  dataDir: string;
  stop(): Promise<void>;
}

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function demoLauncher(options: BrowserHostOptions) {
  if (options.demo === false) return undefined;
  const liveTrafficMs = typeof options.demo === 'object' ? options.demo.liveTrafficMs : undefined;
  return createDemoLauncherInWorker({ dataDir: options.dataDir, liveTrafficMs });
}

/**
 * Serves the renderer build and the core's bridge on 127.0.0.1 behind one-time launch codes. The
 * same core as the Electron app (memory-only token vault: the browser has no keychain), on its
 * own worker thread like the embedded demo platform: this thread only serves pages and the
 * bridge, so it never waits on SQLite.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = options.rendererDir ?? RENDERER_BUILD_DIR;
  if (options.build === 'always' || options.build === 'if-stale') {
    await ensureRendererBuild({ force: options.build === 'always' });
  }
  assertRendererBuilt(rendererDir);
  mkdirSync(options.dataDir, { recursive: true });

  const demo = demoLauncher(options);
  const core = options.createCore
    ? await options.createCore(demo)
    : await createCoreInWorker({
        dataDir: options.dataDir,
        deviceName: `${hostname()} (browser)`,
        vault: createMemoryVault(),
        demo,
        shell: 'browser',
        version: appVersion(),
      });

  const stopPrewarm = demo && options.prewarmDemo ? await prewarmDemoOnFirstRun(core, demo) : () => {};

  const identity: HostIdentity = { port: 0, access: new LaunchAccess() };
  const bridge = createSocketBridge(core);
  const { server, sockets } = createHostServer(() => identity, rendererDir, bridge);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: LOOPBACK, port: options.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    stopPrewarm();
    await core.close();
    await demo?.close();
    throw error;
  }
  identity.port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${identity.port}`;
  const newLaunchUrl = () => `${origin}/?${LAUNCH_CODE_PARAM}=${identity.access.newCode()}`;
  const url = newLaunchUrl();
  // The opener gets its own code: a command line is visible to other local processes,
  // and a code is worthless once the browser has spent it.
  if (options.open) openInBrowser(newLaunchUrl());

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      stopPrewarm();
      bridge.close();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      await demo?.close();
    })();
    return stopping;
  };

  return { url, origin, port: identity.port, dataDir: options.dataDir, newLaunchUrl, stop };
}
