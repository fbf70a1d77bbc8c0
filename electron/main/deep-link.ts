import { type EventPayload, events } from '../../shared/contract';
import { DEEP_LINK_SCHEME } from './app-origin';

export type DeepLinkTarget = EventPayload<'app.navigate'>;

const MAX_LINK = 2048;

/**
 * creatorinbox://message/<messageId>[?account=<accountId>] and creatorinbox://inbox/<view>.
 * Links come from anywhere (a web page, a chat), so anything else is ignored, and what is
 * accepted is checked against the event's own schema before it reaches the renderer.
 */
export function parseDeepLink(link: string): DeepLinkTarget | null {
  if (link.length > MAX_LINK) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
  if (segments.length !== 1 || segments[0] === null) return null;
  const [value] = segments;
  const candidate =
    url.hostname === 'message'
      ? { kind: 'message', messageId: value, accountId: url.searchParams.get('account') }
      : url.hostname === 'inbox'
        ? { kind: 'view', view: value }
        : null;
  const parsed = events['app.navigate'].safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Windows and Linux hand the link to the (second) instance as a command-line argument. */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}://`)) ?? null;
}
