// Reading the audit log (issue 13, GET /api/admin/audit): a filter is answered by an index that leads
// with it and then runs in the list's order (at, id), so a page of the newest rows by one user, one
// action or one entity is a short backward index scan, not a walk of the whole trail. person_audit is
// written by every read and sale of a person's record (the counter writes one row per settlement), so
// it gets only the user index — "what did this user do" is the question asked of it; its action and
// entity filters walk its (at) index, which a date range keeps short. The person filter has
// person_audit's primary key (person_id, id); on audit_log a person appears only in detail.personId (a
// refusal, a view of the audit log narrowed to that person), indexed partially.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index person_audit_user on person_audit (username, at, id);
    create index audit_log_user on audit_log (username, at, id);
    create index audit_log_action on audit_log (action, at, id);
    create index audit_log_entity on audit_log (entity, at, id);
    create index audit_log_about_person on audit_log ((detail ->> 'personId'), at, id) where (detail ->> 'personId') is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index audit_log_about_person, audit_log_entity, audit_log_action, audit_log_user,
      person_audit_user;
  `.execute(db);
}
