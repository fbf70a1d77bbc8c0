import { create } from 'zustand';

/**
 * Per account, the newest notice time the person has had in front of them (the list was
 * open): notices after it are unread. Kept on this device, so a reload keeps the count.
 */
const STORAGE_KEY = 'creator-inbox.notices-seen';

function load(): Record<string, number> {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number',
      ),
    );
  } catch {
    return {};
  }
}

export const useNoticesSeen = create<{ seen: Record<string, number> }>(() => ({ seen: load() }));

export function markNoticesSeen(accountId: string, at: number): void {
  const seen = useNoticesSeen.getState().seen;
  if ((seen[accountId] ?? 0) >= at) return;
  const next = { ...seen, [accountId]: at };
  useNoticesSeen.setState({ seen: next });
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Storage can be unavailable; the count is then right for this session only.
  }
}
