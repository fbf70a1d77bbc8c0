import { create } from 'zustand';
import { EMPTY_FILTERS, type SearchFilters } from './ui';

/** Searches saved as views in the sidebar; a preference of this device, kept in localStorage. */
export interface SavedSearch {
  id: string;
  name: string;
  filters: SearchFilters;
}

const STORAGE_KEY = 'creator-inbox.saved-searches';

export function parseSavedSearches(raw: string | null): SavedSearch[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item): SavedSearch[] => {
      if (typeof item !== 'object' || item === null) return [];
      const { id, name, filters } = item as Partial<SavedSearch>;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof filters !== 'object' || filters === null)
        return [];
      // Unknown or missing fields fall back to empty, so an old or edited entry still opens.
      const merged = { ...EMPTY_FILTERS };
      for (const key of Object.keys(EMPTY_FILTERS) as (keyof SearchFilters)[]) {
        const value = (filters as unknown as Record<string, unknown>)[key];
        if (key === 'status') {
          if (Array.isArray(value))
            merged.status = value.filter((s) => ['pending', 'accepted', 'refunded', 'expired'].includes(s));
        } else if (typeof value === 'string') {
          merged[key] = value;
        }
      }
      return [{ id, name: name.slice(0, 80), filters: merged }];
    });
  } catch {
    return [];
  }
}

function load(): SavedSearch[] {
  try {
    return parseSavedSearches(localStorage.getItem(STORAGE_KEY));
  } catch {
    return [];
  }
}

function store(searches: SavedSearch[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(searches));
  } catch {
    // Without storage the saved search lasts this session.
  }
}

interface SavedSearchState {
  searches: SavedSearch[];
  add(name: string, filters: SearchFilters): void;
  remove(id: string): void;
}

export const useSavedSearches = create<SavedSearchState>((set, get) => ({
  searches: load(),
  add(name, filters) {
    const next = [...get().searches, { id: `${Date.now()}`, name: name.slice(0, 80), filters }];
    store(next);
    set({ searches: next });
  },
  remove(id) {
    const next = get().searches.filter((s) => s.id !== id);
    store(next);
    set({ searches: next });
  },
}));
