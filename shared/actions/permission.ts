import { PERMISSIONS, type Permission } from '../protocol/common';

export type Role = 'owner' | 'manager';

/** A member's place in an inbox, as the platform, the core and the renderer each hold it. */
export interface Membership {
  readonly role: Role;
  readonly permissions: ReadonlySet<Permission> | readonly Permission[];
}

/** What an action can need beyond membership: a permission the owner grants, or being the owner. */
export type Requirement = Permission | 'owner';

/** Every permission an owner holds without being granted it. */
export const ALL_PERMISSIONS: readonly Permission[] = PERMISSIONS;

/** The one rule of the permission table: the owner may do everything, a manager what the owner granted. */
export function mayAct(membership: Membership | null | undefined, needed: Requirement): boolean {
  if (!membership) return false;
  if (membership.role === 'owner') return true;
  if (needed === 'owner') return false;
  const granted = membership.permissions;
  return 'has' in granted ? granted.has(needed) : granted.includes(needed);
}
