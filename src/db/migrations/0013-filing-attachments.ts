// The return-and-fix loop (issue 13): evidence attached to a filing (诊断证明, 出院小结, 检验报告, other),
// a return's preset reason code beside its free text, and the kinds of evidence the reviewer asks for.
// The attachment is the person's row: keyed (person_id, id), pointing at its filing through
// (person_id, filing_id). The queue gets an index that answers a team's (or an institution's teams')
// waiting filings and the per-team counts of the filter from the index alone.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table filing_attachment (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null,
      filing_id uuid not null,
      kind text not null check (kind in ('diagnosis_certificate', 'discharge_summary', 'lab_report', 'other')),
      name text not null check (length(name) between 1 and 120),
      media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
      size_bytes integer not null check (size_bytes > 0 and size_bytes <= 10485760),
      content bytea not null,
      uploaded_by uuid not null references app_user(id),
      uploaded_at timestamptz not null,
      primary key (person_id, id),
      foreign key (person_id, filing_id) references registration_filing (person_id, id)
    );
    create index filing_attachment_filing on filing_attachment (person_id, filing_id, uploaded_at);

    -- the unnamed check of 0002 that a returned filing has a free-text reason: a preset code now suffices
    do $$
    declare c text;
    begin
      select conname into c from pg_constraint
      where conrelid = 'registration_filing'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%decision_reason IS NOT NULL%';
      execute format('alter table registration_filing drop constraint %I', c);
    end $$;
    alter table registration_filing
      add column decision_reason_code text check (decision_reason_code in ('insufficient_basis', 'missing_certificate', 'prescription_mismatch', 'identity_error', 'other')),
      add column requested_attachments text[] not null default '{}'
        check (requested_attachments <@ array['diagnosis_certificate', 'discharge_summary', 'lab_report', 'other']::text[]),
      add constraint registration_filing_returned_has_reason check (status <> 'returned' or decision_reason is not null or decision_reason_code is not null);

    create index filing_queue_team on registration_filing (county_code, status, team_id, submitted_at) include (id, kind);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index filing_queue_team;
    update registration_filing set decision_reason = decision_reason_code where decision_reason is null and status = 'returned';
    alter table registration_filing
      drop constraint registration_filing_returned_has_reason,
      drop column requested_attachments,
      drop column decision_reason_code,
      add constraint registration_filing_returned_reason check (status <> 'returned' or decision_reason is not null);
    drop table filing_attachment;
  `.execute(db);
}
