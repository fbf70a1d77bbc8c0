import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Account } from '../../../shared/contract';
import { CoreError } from '../errors';

/**
 * The app-level store: which accounts exist, where their platform is, who signed in and
 * which inboxes they work in. Tokens are never here (the vault keeps them); each
 * account's inbox data lives in its own database file (accountDatabasePath).
 */
const APP_MIGRATIONS: readonly string[] = [
  `CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     platform_url TEXT NOT NULL,
     email TEXT NOT NULL,
     display_name TEXT NOT NULL,
     user_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     demo INTEGER NOT NULL DEFAULT 0,
     inboxes TEXT NOT NULL DEFAULT '[]',
     created_at INTEGER NOT NULL,
     UNIQUE (platform_url, user_id)
   )`,
];

interface AccountRecord {
  id: string;
  platform_url: string;
  email: string;
  display_name: string;
  user_id: string;
  kind: 'fan' | 'creator';
  demo: number;
  inboxes: string;
}

function toAccount(r: AccountRecord): Account {
  return {
    id: r.id,
    platformUrl: r.platform_url,
    email: r.email,
    displayName: r.display_name,
    userId: r.user_id,
    kind: r.kind,
    demo: r.demo === 1,
    inboxes: JSON.parse(r.inboxes) as Account['inboxes'],
  };
}

export class AppStore {
  private readonly db: Database.Database;

  constructor(readonly dataDir: string) {
    this.db = new Database(join(dataDir, 'app.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > APP_MIGRATIONS.length) {
      this.db.close();
      throw new CoreError('internal', 'The app data was written by a newer version of the app. Update the app.');
    }
    APP_MIGRATIONS.forEach((sql, i) => {
      if (i < version) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    });
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY created_at, id').all() as AccountRecord[]).map(toAccount);
  }

  get(accountId: string): Account | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountRecord | undefined;
    return row ? toAccount(row) : null;
  }

  /** Adds the account, or refreshes it when this user on this platform is already known. */
  upsert(account: Omit<Account, 'id'>, now: number): Account {
    const existing = this.db
      .prepare('SELECT id FROM accounts WHERE platform_url = ? AND user_id = ?')
      .pluck()
      .get(account.platformUrl, account.userId) as string | undefined;
    const id = existing ?? randomUUID();
    this.db
      .prepare(
        `INSERT INTO accounts (id, platform_url, email, display_name, user_id, kind, demo, inboxes, created_at)
         VALUES (@id, @platformUrl, @email, @displayName, @userId, @kind, @demo, @inboxes, @now)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, display_name = excluded.display_name,
           kind = excluded.kind, demo = excluded.demo, inboxes = excluded.inboxes`,
      )
      .run({ ...account, id, demo: account.demo ? 1 : 0, inboxes: JSON.stringify(account.inboxes), now });
    return { ...account, id };
  }

  /** The demo platform may come back on another port: the account follows it. */
  moveToUrl(accountId: string, platformUrl: string): void {
    this.db.prepare('UPDATE accounts SET platform_url = ? WHERE id = ?').run(platformUrl, accountId);
  }

  remove(accountId: string): void {
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(accountId);
  }

  close(): void {
    this.db.close();
  }
}

export function accountDatabasePath(dataDir: string, accountId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(accountId)) throw new CoreError('invalid_input', 'Unknown account.');
  return join(dataDir, 'accounts', `${accountId}.sqlite`);
}

/**
 * Every file that holds a copy of an account's data: its database with its WAL and
 * shared memory, and any damaged copy moved aside (`.corrupt-<time>`, with its own WAL).
 * All start with `<accountId>.sqlite`; an id has no dot, so no other account's file does.
 */
export function accountDataFiles(dataDir: string, accountId: string): string[] {
  const database = accountDatabasePath(dataDir, accountId);
  const prefix = basename(database);
  const folder = dirname(database);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name === prefix || name.startsWith(`${prefix}-`) || name.startsWith(`${prefix}.`))
    .map((name) => join(folder, name));
}
