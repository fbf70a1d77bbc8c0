import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../electron/main/window-options';

describe('main window options (pure module, no Electron binary)', () => {
  const base = {
    preloadPath: '/app/preload/index.cjs',
    bounds: { width: 1000, height: 700 },
    platform: 'linux' as const,
  };

  // The Electron security checklist, switch by switch: what must be on, what must be off.
  const MUST_BE_ON = ['contextIsolation', 'sandbox', 'webSecurity'] as const;
  const MUST_BE_OFF = [
    'nodeIntegration',
    'nodeIntegrationInWorker',
    'nodeIntegrationInSubFrames',
    'allowRunningInsecureContent',
    'webviewTag',
    'experimentalFeatures',
    'navigateOnDragDrop',
  ] as const;

  it('isolates, sandboxes and denies Node to the page', () => {
    const prefs = mainWindowOptions({ ...base, packaged: true }).webPreferences;
    expect(prefs?.preload).toBe('/app/preload/index.cjs');
    for (const name of MUST_BE_ON) expect(prefs?.[name], name).toBe(true);
    for (const name of MUST_BE_OFF) expect(prefs?.[name], name).toBe(false);
    expect(prefs?.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs?.enableBlinkFeatures ?? '').toBe('');
  });

  it('has developer tools only in development', () => {
    expect(mainWindowOptions({ ...base, packaged: true }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions({ ...base, packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('opens hidden at the remembered bounds, never smaller than the minimum', () => {
    const options = mainWindowOptions({ ...base, bounds: { x: 10, y: 20, width: 900, height: 600 }, packaged: true });
    expect(options).toMatchObject({
      x: 10,
      y: 20,
      width: 900,
      height: 600,
      show: false,
      minWidth: 720,
      minHeight: 480,
    });
  });
});
