import { useQueryClient } from '@tanstack/react-query';
import { Send } from 'lucide-react';
import { Fragment, useId, useState } from 'react';
import { BridgeCallError } from '../../../shared/contract';
import { PERMISSIONS, type Permission } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { keys } from '../../data/keys';
import { teamKeys, useMyInvitations, useTeam } from '../../data/team';
import { formatDateTime } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useTeamUi } from '../../state/teamUi';
import { Avatar } from '../../ui/Avatar';
import { announce } from '../../ui/announce';
import { Dialog } from '../../ui/Dialog';
import { UntrustedInline, untrustedPlain } from '../../ui/SafeText';
import { Screen } from '../../ui/Screen';
import { TableHead } from '../../ui/TableHead';
import { LimitsForm, MemberLimitsLine } from './MemberLimits';

const errorText = (error: unknown) => (error instanceof BridgeCallError ? error.message : String(error));

function PermissionChecks({
  value,
  onChange,
  disabled,
  name,
}: {
  value: readonly Permission[];
  onChange(next: Permission[]): void;
  disabled?: boolean;
  name: string;
}) {
  const t = useT();
  return (
    <fieldset className="permissions" disabled={disabled}>
      <legend className="visually-hidden">{t('team.permissionsOf', { name: untrustedPlain(name) })}</legend>
      {PERMISSIONS.map((p) => (
        <label key={p} className="check">
          <input
            type="checkbox"
            checked={value.includes(p)}
            onChange={(e) => onChange(e.target.checked ? [...value, p] : value.filter((x) => x !== p))}
          />
          {t(`team.permission.${p}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** The team of one inbox: the owner invites, changes permissions and revokes; managers see who is in. */
export function TeamDialog({ accountId, inboxId, isOwner }: { accountId: string; inboxId: string; isOwner: boolean }) {
  const t = useT();
  const locale = useLocale();
  const client = useQueryClient();
  const team = useTeam(accountId, inboxId);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [editingLimits, setEditingLimits] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: teamKeys.team(accountId, inboxId) });
  const run = async (what: () => Promise<unknown>, done: string) => {
    setFailure(null);
    try {
      await what();
      announce(done);
      await refresh();
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  const members = team.data?.members ?? [];
  const membersId = useId();
  return (
    <Screen title={t('team.title')} className="team-screen">
      {failure ? <p role="alert">{failure}</p> : null}
      {team.isError ? <p role="alert">{errorText(team.error)}</p> : null}
      <section className="panel wide" aria-labelledby={`${membersId}-title`}>
        <header className="panel-head">
          <h3 id={`${membersId}-title`}>{t('team.members')}</h3>
        </header>
        <table className="team-table data-table">
          <TableHead
            caption={t('team.members')}
            columns={[t('team.member'), t('team.role'), t('team.permissions'), isOwner ? t('team.access') : null]}
          />
          <tbody>
            {members.map((m) => {
              const limitsEditable = isOwner && m.active && m.role === 'manager';
              return (
                <Fragment key={m.userId}>
                  <tr data-member={m.email} className={m.active ? undefined : 'muted'}>
                    <td className="team-member">
                      <span className="panel-person">
                        <Avatar name={m.displayName} id={m.userId} size="md" />
                        <span className="panel-person-text">
                          <UntrustedInline text={m.displayName} className="panel-person-name" />
                          <bdi className="muted small">{m.email}</bdi>
                          {/* Limits are a second line under the manager: the owner has none. */}
                          {m.role === 'manager' ? (
                            <MemberLimitsLine
                              member={m}
                              editable={limitsEditable}
                              editing={editingLimits === m.userId}
                              onEdit={() => setEditingLimits(editingLimits === m.userId ? null : m.userId)}
                            />
                          ) : null}
                        </span>
                      </span>
                    </td>
                    <td>
                      <span className={`chip ${m.active ? `role-${m.role}` : 'status-expired'}`}>
                        {m.active ? t(`team.role.${m.role}`) : t('team.revoked')}
                      </span>
                    </td>
                    <td>
                      {m.role === 'owner' ? (
                        t('team.everything')
                      ) : isOwner && m.active ? (
                        <PermissionChecks
                          name={m.displayName}
                          value={m.permissions}
                          onChange={(permissions) =>
                            void run(
                              () =>
                                getBridge().call('team.setPermissions', {
                                  accountId,
                                  inboxId,
                                  userId: m.userId,
                                  permissions,
                                }),
                              t('team.permissionsSaved', { name: untrustedPlain(m.displayName) }),
                            )
                          }
                        />
                      ) : (
                        m.permissions.map((p) => t(`team.permission.${p}`)).join(', ') || t('team.nothing')
                      )}
                    </td>
                    {isOwner ? (
                      <td>
                        {m.role === 'manager' && m.active ? (
                          confirming === m.userId ? (
                            <span className="inline-actions">
                              <button
                                type="button"
                                className="danger"
                                // The button that asked is gone: keep focus in the dialog, on the question.
                                ref={(button) => button?.focus()}
                                onClick={() =>
                                  void run(
                                    () => getBridge().call('team.revoke', { accountId, inboxId, userId: m.userId }),
                                    t('team.revokedDone', { name: untrustedPlain(m.displayName) }),
                                  ).then(() => setConfirming(null))
                                }
                              >
                                {t('team.confirmRevoke')}
                              </button>
                              <button type="button" onClick={() => setConfirming(null)}>
                                {t('common.cancel')}
                              </button>
                            </span>
                          ) : (
                            <button type="button" onClick={() => setConfirming(m.userId)}>
                              {t('team.revoke')}
                            </button>
                          )
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                  {limitsEditable && editingLimits === m.userId ? (
                    <tr className="limits-row">
                      <td colSpan={isOwner ? 4 : 3}>
                        <LimitsForm
                          accountId={accountId}
                          inboxId={inboxId}
                          member={m}
                          onDone={() => setEditingLimits(null)}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </section>
      {isOwner ? (
        <>
          <InviteForm accountId={accountId} inboxId={inboxId} onInvited={() => void refresh()} />
          {team.data?.invitationsOffline ? <p className="muted">{t('team.invitationsOffline')}</p> : null}
          {(team.data?.invitations.length ?? 0) > 0 ? (
            <section className="panel wide" aria-labelledby="pending-invitations">
              <header className="panel-head">
                <h3 id="pending-invitations">{t('team.pendingInvitations')}</h3>
              </header>
              <ul className="panel-list">
                {team.data?.invitations.map((i) => (
                  <li key={i.id} className="panel-row">
                    <span className="panel-person">
                      <Avatar name={i.email} size="md" />
                      <span className="panel-person-text">
                        <bdi className="panel-person-name">{i.email}</bdi>
                        <span className="muted small">
                          {i.permissions.map((p) => t(`team.permission.${p}`)).join(', ') || t('team.nothing')} ·{' '}
                          {t('team.expires', { date: formatDateTime(i.expiresAt, locale) })}
                        </span>
                      </span>
                    </span>
                    <button
                      type="button"
                      onClick={() => {
                        void getBridge()
                          .call('team.cancelInvitation', { accountId, inboxId, invitationId: i.id })
                          .then(() => {
                            announce(t('team.invitationCancelled', { email: i.email }));
                            void refresh();
                          })
                          .catch((error: unknown) => announce(errorText(error)));
                      }}
                    >
                      {t('team.cancelInvitation')}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </Screen>
  );
}

function InviteForm({ accountId, inboxId, onInvited }: { accountId: string; inboxId: string; onInvited(): void }) {
  const t = useT();
  const emailId = useId();
  const [email, setEmail] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['reply']);
  const [failure, setFailure] = useState<string | null>(null);
  const [sent, setSent] = useState<{ email: string; code: string } | null>(null);
  return (
    <form
      className="panel wide invite-form"
      aria-labelledby={`${emailId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        setFailure(null);
        setSent(null);
        void getBridge()
          .call('team.invite', { accountId, inboxId, email: email.trim(), permissions })
          .then((invitation) => {
            announce(t('team.invited', { email: email.trim() }));
            setSent({ email: invitation.email, code: invitation.code });
            setEmail('');
            onInvited();
          })
          .catch((error: unknown) => setFailure(errorText(error)));
      }}
    >
      <header className="panel-head">
        <h3 id={`${emailId}-title`}>{t('team.invite')}</h3>
      </header>
      <div className="panel-body">
        <div className="field invite-email">
          <label htmlFor={emailId}>{t('team.email')}</label>
          <input
            id={emailId}
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <PermissionChecks name={email || t('team.newManager')} value={permissions} onChange={setPermissions} />
        {failure ? (
          <p role="alert" className="field-error">
            {failure}
          </p>
        ) : null}
        {sent ? (
          <p className="invitation-code" role="status">
            {t('team.inviteCode', { email: sent.email })}{' '}
            <output data-testid="invitation-code" dir="ltr">
              {sent.code}
            </output>
          </p>
        ) : null}
      </div>
      <div className="panel-foot">
        <button type="submit" className="primary">
          <Send size={14} aria-hidden="true" className="flip-rtl" />
          {t('team.sendInvite')}
        </button>
      </div>
    </form>
  );
}

/** Invitations addressed to this account: accepting starts syncing that inbox at once. */
export function InvitationsDialog({ accountId }: { accountId: string }) {
  const t = useT();
  const locale = useLocale();
  const client = useQueryClient();
  const invitations = useMyInvitations(accountId);
  const [failure, setFailure] = useState<string | null>(null);
  const [codes, setCodes] = useState<Record<string, string>>({});
  return (
    <Dialog title={t('invitations.title')} className="team-dialog" onClose={() => useTeamUi.getState().close()}>
      {invitations.isError ? <p role="alert">{errorText(invitations.error)}</p> : null}
      {failure ? <p role="alert">{failure}</p> : null}
      {invitations.data && invitations.data.length === 0 ? <p>{t('invitations.none')}</p> : null}
      <ul className="plain-list">
        {invitations.data?.map((i) => (
          <li key={i.id} className="invitation">
            <span>
              {t('invitations.item', { date: formatDateTime(i.createdAt, locale) })} ·{' '}
              {i.permissions.map((p) => t(`team.permission.${p}`)).join(', ') || t('team.nothing')}
            </span>{' '}
            <label>
              {t('invitations.code')}{' '}
              <input
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                placeholder="XXXX-XXXX-XXXX"
                value={codes[i.id] ?? ''}
                onChange={(e) => setCodes({ ...codes, [i.id]: e.target.value })}
              />
            </label>{' '}
            <button
              type="button"
              className="primary"
              disabled={!(codes[i.id] ?? '').trim()}
              onClick={() => {
                setFailure(null);
                void getBridge()
                  .call('team.acceptInvitation', { accountId, invitationId: i.id, code: codes[i.id] ?? '' })
                  .then((joined) => {
                    announce(t('invitations.joined', { name: untrustedPlain(joined.creatorName) }));
                    void client.invalidateQueries({ queryKey: teamKeys.invitations(accountId) });
                    void client.invalidateQueries({ queryKey: keys.accounts() });
                  })
                  .catch((error: unknown) => setFailure(errorText(error)));
              }}
            >
              {t('invitations.accept')}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
