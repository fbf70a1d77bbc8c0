import { create } from 'zustand';
import { type ScreenId, useRoute } from './route';

/**
 * The team screens. Earnings, team, audit and inbox settings are full screens (the route,
 * state/route.ts); invitations are a short question over whatever is shown, so a dialog.
 */
export type TeamScreen = 'settings' | 'team' | 'audit' | 'invitations' | 'earnings';

const ROUTES: Record<Exclude<TeamScreen, 'invitations'>, ScreenId> = {
  settings: 'inboxSettings',
  team: 'team',
  audit: 'audit',
  earnings: 'earnings',
};

interface TeamUiState {
  /** Only 'invitations' is kept here; the other screens live in the route. */
  screen: 'invitations' | null;
  open(screen: TeamScreen, inboxId: string | null): void;
  close(): void;
}

export const useTeamUi = create<TeamUiState>((set) => ({
  screen: null,
  open: (screen, inboxId) => {
    if (screen === 'invitations') set({ screen });
    else useRoute.getState().go({ screen: ROUTES[screen], inboxId });
  },
  close: () => set({ screen: null }),
}));
