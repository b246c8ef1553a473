// The danger signs that call for urgent referral are recorded one by one, as the national specification
// lists them (国家基本公共卫生服务规范（第三版）, 随访评估), instead of one "danger signs" checkbox:
// followup_visit.urgent_signs holds their stable codes (src/engine/followup/urgentSigns.ts; the CHECK repeats
// that list, as of this migration). A visit recorded with the old checkbox ticked keeps the fact as
// 'unspecified' — which sign it was was never recorded — and the boolean column goes, so there is one truth.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table followup_visit add column urgent_signs text[] not null default '{}'
      constraint followup_visit_urgent_signs_known check (urgent_signs <@ array[
        'altered_consciousness', 'severe_headache_or_dizziness', 'nausea_vomiting', 'blurred_vision', 'eye_pain',
        'palpitations', 'chest_tightness', 'orthopnoea', 'persistent_tachycardia', 'pregnancy_raised_bp',
        'ketone_breath', 'sweating', 'poor_appetite', 'polydipsia', 'polyuria', 'abdominal_pain',
        'deep_rapid_breathing', 'flushed_skin', 'fever_over_39', 'sudden_vision_loss', 'pregnancy_raised_glucose',
        'other_unmanageable', 'unspecified'
      ]::text[]);
    update followup_visit set urgent_signs = '{unspecified}' where danger_signs;
    alter table followup_visit drop column danger_signs;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table followup_visit add column danger_signs boolean not null default false;
    update followup_visit set danger_signs = true where cardinality(urgent_signs) > 0;
    alter table followup_visit drop column urgent_signs;
  `.execute(db);
}
