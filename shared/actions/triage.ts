import type { z } from 'zod';
import type { Triage } from '../protocol/entities';
import type { TriagePatchBody } from '../protocol/routes';

export type TriagePatch = z.infer<typeof TriagePatchBody>;

/** The triage fields a patch changes, as every side stores them. */
export interface TriageFields {
  readonly read: boolean;
  readonly starred: boolean;
  readonly archived: boolean;
  readonly labels: readonly string[];
  readonly snoozedUntil: number | null;
  readonly assigneeId: string | null;
}

/** A message nobody has triaged yet: how every side starts a new message's triage (a fresh copy each time). */
export function untriaged(): Omit<Triage, 'messageId' | 'updatedAt'> {
  return { read: false, starred: false, archived: false, labels: [], snoozedUntil: null, assigneeId: null };
}

/**
 * Applies one patch (the platform's rule: last writer wins per field, label sets merge).
 * Returns the same kind of object it was given, so a list row stays a list row.
 */
export function applyTriagePatch<T extends TriageFields>(base: T, patch: TriagePatch): T {
  let labels = [...base.labels];
  for (const label of patch.labelsAdd ?? []) if (!labels.includes(label)) labels.push(label);
  if (patch.labelsRemove) labels = labels.filter((label) => !patch.labelsRemove?.includes(label));
  return {
    ...base,
    read: patch.read ?? base.read,
    starred: patch.starred ?? base.starred,
    archived: patch.archived ?? base.archived,
    snoozedUntil: patch.snoozedUntil !== undefined ? patch.snoozedUntil : base.snoozedUntil,
    assigneeId: patch.assigneeId !== undefined ? patch.assigneeId : base.assigneeId,
    labels,
  };
}
