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

export async function writeAudit(db: Database, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        user_id: actor.user.id,
        username: actor.user.username,
        role: actor.user.role,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId ?? null,
        person_id: e.personId ?? null,
        ip: actor.ip,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })),
    )
    .execute();
}
