import { spawn } from 'node:child_process';

/** The command that opens a URL in the default browser on this platform. */
export function openCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // Not `cmd /c start`: cmd would re-parse the URL's `&`s. The URL handler takes it verbatim.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/** Best effort: no browser to open is not an error, the address is printed anyway. */
export function openInBrowser(url: string): void {
  const { command, args } = openCommand(process.platform, url);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The printed address is the fallback.
  }
}
