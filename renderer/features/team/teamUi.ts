import { create } from 'zustand';

/** Which team screen is open, and for which inbox. UI state only. */
export type TeamScreen = 'settings' | 'team' | 'audit' | 'invitations' | 'earnings';

interface TeamUiState {
  screen: TeamScreen | null;
  inboxId: string | null;
  open(screen: TeamScreen, inboxId: string | null): void;
  close(): void;
}

export const useTeamUi = create<TeamUiState>((set) => ({
  screen: null,
  inboxId: null,
  open: (screen, inboxId) => set({ screen, inboxId }),
  close: () => set({ screen: null }),
}));
