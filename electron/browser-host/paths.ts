import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place (electron/browser-host/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_SOURCE_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));
export const RENDERER_BUILD_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
export const VITE_CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
