import { describe, expect, it } from 'vitest';
import { permissionsIn } from '../../../renderer/data/permissions';
import ar from '../../../renderer/i18n/ar.json';
import en from '../../../renderer/i18n/en.json';
import type { Account } from '../../../shared/contract';
import { PERMISSIONS } from '../../../shared/protocol';

const LABEL = 'team.permission.';
const labelled = (catalog: Record<string, string>) =>
  Object.keys(catalog)
    .filter((key) => key.startsWith(LABEL))
    .map((key) => key.slice(LABEL.length))
    .sort();

function account(inboxes: Account['inboxes']): Account {
  return {
    id: 'acc-1',
    platformUrl: 'http://127.0.0.1:1',
    email: 'nour@example.test',
    displayName: 'Nour',
    userId: 'u-1',
    kind: 'creator',
    demo: false,
    inboxes,
  };
}

describe('permissions in the app are the shared list', () => {
  it('every shared permission has a label in English and Arabic, and no label names a permission that does not exist', () => {
    for (const catalog of [en, ar] as Record<string, string>[]) {
      expect(labelled(catalog)).toEqual([...PERMISSIONS].sort());
      for (const permission of PERMISSIONS) expect(catalog[`${LABEL}${permission}`]?.trim()).not.toBe('');
    }
  });

  it('an owner may do everything the platform knows, a manager exactly what was granted, a stranger nothing', () => {
    const accounts = [
      account([
        { inboxId: 'own', handle: 'nour', creatorName: 'Nour', role: 'owner', permissions: [] },
        {
          inboxId: 'managed',
          handle: 'sara',
          creatorName: 'Sara',
          role: 'manager',
          permissions: ['draft', 'manage_fans'],
        },
      ]),
    ];
    expect([...permissionsIn(accounts, 'own')].sort()).toEqual([...PERMISSIONS].sort());
    expect([...permissionsIn(accounts, 'managed')].sort()).toEqual(['draft', 'manage_fans']);
    expect(permissionsIn(accounts, 'elsewhere')).toEqual([]);
  });
});
