import { create } from 'zustand';
import type { Action, InboxRow, InboxView } from '../../shared/contract';
import { EMPTY_SELECTION, type Selection } from './selection';

/** UI state only: what is selected and open. Data lives in react-query. */
export type Order = 'deadline' | 'at_risk' | 'newest';

export type Dialog =
  | { kind: 'refund'; messageIds: string[] }
  | { kind: 'label'; messageIds: string[] }
  | { kind: 'snooze'; messageIds: string[] }
  | { kind: 'assign'; messageIds: string[] }
  | { kind: 'bulkConfirm'; action: 'accept' | 'archive'; messageIds: string[] }
  /** Blocking the fan of this message (from the pane's menu or the fan card, so not always a list row). */
  | { kind: 'block'; row: InboxRow }
  | { kind: 'palette' }
  | { kind: 'shortcuts' }
  | { kind: 'settings' }
  | { kind: 'outbox' }
  | { kind: 'connect' };

export interface SearchFilters {
  text: string;
  status: ('pending' | 'accepted' | 'refunded' | 'expired')[];
  minAmount: string;
  maxAmount: string;
  label: string;
  fanId: string;
  deadlineWithinHours: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: SearchFilters = {
  text: '',
  status: [],
  minAmount: '',
  maxAmount: '',
  label: '',
  fanId: '',
  deadlineWithinHours: '',
  from: '',
  to: '',
};

export interface UndoEntry {
  actionId: string;
  undoUntil: number;
  what: 'accept' | 'refund' | 'reply' | 'triage' | 'note';
  count: number;
  /** What happened, when more exact than `what` ("Starred", "Snoozed until 09:00"). */
  text?: string;
  /** Triage is undone by applying its inverse; money actions through actions.undo. */
  inverse?: { messageId: string; action: Action };
  /** A bulk action: the whole batch is taken back at once (actions.undoMany). */
  actionIds?: string[];
}

/** One message of a bulk action: who and how much, and whether it was queued. */
export interface BulkReportRow {
  messageId: string;
  fanName: string;
  price: { minor: number; currency: string };
  ok: boolean;
  actionId: string | null;
  error: string | null;
}

/** What the platform said of a queued action of the batch (from its notice). */
export interface BulkSettlement {
  kind: 'conflict' | 'rejected' | 'info';
  status: string | null;
  who: string | null;
}

export interface BulkReport {
  action: string;
  rows: BulkReportRow[];
  /** By message id: the platform's answer when it was not simply applied. */
  settled: Record<string, BulkSettlement>;
  /** Action ids taken back (the batch's undo, or one cancelled in the pending list). */
  undone: string[];
}

/** `draft`: a reply written for the creator to approve (issue 17); it moves no money. */
export type Composer = { mode: 'reply' | 'acceptReply' | 'note' | 'draft'; messageId: string; nonce: number } | null;

interface UiState {
  accountId: string | null;
  inboxId: string | null;
  view: InboxView;
  label: string | null;
  order: Order;
  searching: boolean;
  filters: SearchFilters;
  focusedId: string | null;
  selection: Selection;
  dialog: Dialog | null;
  composer: Composer;
  undo: UndoEntry | null;
  /** A message opened from a creatorinbox:// link, shown until the person moves on. */
  linked: { messageId: string; focusAtOpen: string | null } | null;
  /** The latest bulk outcome shown until dismissed. */
  bulkReport: BulkReport | null;
  set(patch: Partial<Omit<UiState, 'set'>>): void;
}

export const useUi = create<UiState>((set) => ({
  accountId: null,
  inboxId: null,
  view: 'pending',
  label: null,
  order: 'deadline',
  searching: false,
  filters: EMPTY_FILTERS,
  focusedId: null,
  selection: EMPTY_SELECTION,
  dialog: null,
  composer: null,
  undo: null,
  linked: null,
  bulkReport: null,
  set: (patch) => set(patch),
}));

/** Actions taken back never reach the platform: the bulk result must not count them as done. */
export function markActionsUndone(actionIds: readonly string[]): void {
  const report = useUi.getState().bulkReport;
  if (!report || actionIds.length === 0) return;
  const ours = actionIds.filter((id) => report.rows.some((r) => r.actionId === id) && !report.undone.includes(id));
  if (ours.length > 0) useUi.getState().set({ bulkReport: { ...report, undone: [...report.undone, ...ours] } });
}
