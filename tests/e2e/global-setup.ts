import { ensureRendererBuild } from '../../electron/browser-host/renderer-build';

/** Build the renderer once per run (only when its sources changed), not once per host. */
export default async function globalSetup(): Promise<void> {
  await ensureRendererBuild();
}
