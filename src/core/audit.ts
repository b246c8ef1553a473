// The audit log answers "who read or changed this person's record, when, from where".
// Writes go through the caller's transaction so a change and its audit row land together.
import type { Database } from '../db/connect';
import type { AuthUser } from './user';

export interface Actor {
  user: AuthUser;
  ip: string | null;
}

export interface AuditEntry {
  /** 'refused': a request the access table turned away (403), kept like a read. */
  action: 'read' | 'search' | 'create' | 'update' | 'delete' | 'export' | 'refused';
  entity: string;
  entityId?: string | null;
  personId?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * An entry about one person goes to person_audit, beside that person's record (one shard when
 * distributed, docs/scale.md); the rest (sign-ins, searches, lists) to audit_log.
 */
/**
 * Whoever runs a command at the server's console (the CLI without --as): they hold the database
 * already, so they act as the system administrator, audited under their operating-system account
 * (no app_user row: user_id stays null).
 */
export function consoleActor(osUser: string): Actor {
  return {
    user: {
      id: '', username: `console:${osUser}`, displayName: `console:${osUser}`, role: 'system_admin',
      scope: { kind: 'all', id: null, name: '全部', regionPrefix: '' },
      practitionerId: null, teamId: null, institutionId: null, personId: null, deliveryProviderId: null, mustChangePassword: false,
    },
    ip: null,
  };
}

export async function writeAudit(db: Database, actor: Actor, entries: AuditEntry[]): Promise<void> {
  const row = (e: AuditEntry) => ({
    user_id: actor.user.id || null, // a console actor has no account
    username: actor.user.username,
    role: actor.user.role,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId ?? null,
    ip: actor.ip,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  });
  const about = entries.filter((e) => e.personId);
  const general = entries.filter((e) => !e.personId);
  if (about.length) await db.insertInto('person_audit').values(about.map((e) => ({ ...row(e), person_id: e.personId! }))).execute();
  if (general.length) await db.insertInto('audit_log').values(general.map(row)).execute();
}
