import type { Account } from '../../../shared/contract';
import { CoreError } from '../errors';
import { checkPlatformUrl, PlatformClient } from '../sync/http';
import { fromPlatformError } from '../sync/platform-errors';

export interface SignedIn {
  token: string;
  account: Omit<Account, 'id'>;
}

/** Platform failures during sign-in, in its own words (a refused password is a plain 401 refusal). */
function signInError(error: unknown): unknown {
  return fromPlatformError(error, {
    offline: 'The platform could not be reached. Check the address and your connection.',
    refused: (message) => `The platform refused to sign in: ${message}`,
    // Not the error's own text: it may be the local database's or a library's.
    unexpected: 'Signing in failed on this device. Try again.',
  });
}

/** Signs in on a platform and reads who we are and which inboxes we work in. */
export async function signIn(
  url: string,
  email: string,
  password: string,
  deviceName: string,
  demo: boolean,
): Promise<SignedIn> {
  let base: URL;
  try {
    base = checkPlatformUrl(url);
  } catch (error) {
    throw new CoreError('invalid_input', (error as Error).message);
  }
  const platformUrl = base.origin;
  const anonymous = new PlatformClient(platformUrl, null);
  try {
    const session = await anonymous.call('signIn', { body: { email, password, deviceName } });
    const me = await new PlatformClient(platformUrl, session.token).call('me');
    return {
      token: session.token,
      account: {
        platformUrl,
        email: me.user.email,
        displayName: me.user.displayName,
        userId: me.user.id,
        kind: me.user.kind,
        demo,
        inboxes: me.memberships.map((m) => ({
          inboxId: m.inboxId,
          handle: m.handle,
          creatorName: m.creatorName,
          role: m.role,
          permissions: m.permissions,
        })),
      },
    };
  } catch (error) {
    throw signInError(error);
  }
}

/** Re-reads memberships (a new inbox, changed permissions); null when it cannot be read now. */
export async function refreshMemberships(client: PlatformClient): Promise<Account['inboxes'] | null> {
  try {
    const me = await client.call('me');
    return me.memberships.map((m) => ({
      inboxId: m.inboxId,
      handle: m.handle,
      creatorName: m.creatorName,
      role: m.role,
      permissions: m.permissions,
    }));
  } catch {
    return null;
  }
}
