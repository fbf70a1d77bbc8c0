import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the platform keeps its embedded database when no folder is given: the OS's per-user data folder. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'creator-inbox', 'platform');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'creator-inbox', 'platform');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'creator-inbox', 'platform');
}
