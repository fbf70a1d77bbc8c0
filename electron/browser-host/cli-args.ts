import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CliOptions {
  dataDir: string;
  port: number;
  open: boolean;
}

export const PRODUCT_NAME = 'Creator Inbox';

/** Where the app keeps its data on each platform (the same parent folder as Electron's userData). */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  const base =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  // Its own folder: the Electron app may run at the same time on the same machine.
  return join(base, PRODUCT_NAME, 'browser-host');
}

const USAGE = `Usage: npm run browser -- [--no-open] [--port <n>] [--data-dir <folder>]`;

export class CliError extends Error {}

/** `--data-dir x`, `--data-dir=x`, `--port n`, `--no-open`, `--help`. Unknown flags are errors. */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' {
  const options: CliOptions = { dataDir: defaultDataDir(), port: 0, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new CliError(`${flag} needs a value.\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--no-open':
        options.open = false;
        break;
      case '--data-dir':
        options.dataDir = resolve(value());
        break;
      case '--port': {
        const raw = value();
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535) throw new CliError(`--port must be 0–65535, got ${raw}.\n${USAGE}`);
        options.port = port;
        break;
      }
      default:
        throw new CliError(`Unknown option ${arg}.\n${USAGE}`);
    }
  }
  return options;
}

export { USAGE };
