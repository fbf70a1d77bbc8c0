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

/**
 * Approving a draft, or sending it back, is for who could send the answer themselves:
 * accept and reply (issue 17). The platform, the core and the renderer all ask this.
 */
export function mayApproveDrafts(membership: Membership | null | undefined): boolean {
  return mayAct(membership, 'accept') && mayAct(membership, 'reply');
}

/** Who sees drafts at all: who may write one, or approve one. */
export function maySeeDrafts(membership: Membership | null | undefined): boolean {
  return mayAct(membership, 'draft') || mayApproveDrafts(membership);
}
