/**
 * Saved replies with variables. Templates use {{fan}} and {{amount}}; unknown variables
 * are left as written so a typo is visible instead of silently becoming empty.
 */
export interface SavedReply {
  id: string;
  title: string;
  body: string;
}

export const REPLY_VARIABLES = ['fan', 'amount'] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

const VARIABLE = /\{\{\s*([a-z]+)\s*\}\}/gi;

export function fillReply(template: string, values: Record<ReplyVariable, string>): string {
  return template.replace(VARIABLE, (whole, name: string) => {
    const key = name.toLowerCase();
    return (REPLY_VARIABLES as readonly string[]).includes(key) ? values[key as ReplyVariable] : whole;
  });
}

export function unknownVariables(template: string): string[] {
  const found = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!(REPLY_VARIABLES as readonly string[]).includes(name)) found.add(name);
  }
  return [...found];
}

const STORAGE_KEY = 'creator-inbox.saved-replies';

/** Saved replies are a personal preference of this device, kept in localStorage. */
export function loadSavedReplies(storage: Pick<Storage, 'getItem'>, defaults: SavedReply[]): SavedReply[] {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return defaults;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return defaults;
    return parsed.filter(
      (r): r is SavedReply =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as SavedReply).id === 'string' &&
        typeof (r as SavedReply).title === 'string' &&
        typeof (r as SavedReply).body === 'string',
    );
  } catch {
    return defaults;
  }
}

export function storeSavedReplies(storage: Pick<Storage, 'setItem'>, replies: SavedReply[]): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(replies));
}
