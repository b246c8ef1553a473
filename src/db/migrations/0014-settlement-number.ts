// The settlement number (结算单号, issue 13): readable at the counter and on the printed receipt —
// the institution's code, the service date and a value from one sequence, 330402-0012-20260615-000123.
//
// Unique by construction, not by an index: the sequence never gives a value twice, so two claims
// never share a number whatever their institution or date. A unique index on (institution_id,
// settlement_no) would be a key without person_id, which a table sharded by person cannot enforce
// (docs/scale.md); the sequence needs no cross-shard check. (On Citus the sequence lives on the
// coordinator, which evaluates nextval() before routing the counter's insert to the person's shard.)
//
// The counter writes the number in its one statement (record.ts, claim_settlement_no()); any other
// insert that names none (the demo loader, a bare-SQL benchmark) gets one from the trigger, whose WHEN
// clause keeps it off the counter's path. Existing claims are numbered in the order they were settled.
//
// The day list (日结, GET /api/settlements/day) reads an institution's claims settled, or reversed, in
// one Beijing day: two indexes that lead with the institution (the reversal one partial, so a sale
// pays for one index entry).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence claim_settlement_seq as bigint;
    create function settlement_no_of(code text, service_date date, n bigint) returns text language sql immutable as $$
      select coalesce($1, 'X') || '-' || to_char($2, 'YYYYMMDD') || '-' || lpad($3::text, greatest(6, length($3::text)), '0')
    $$;
    create function claim_settlement_no(institution_id uuid, service_date date) returns text language sql volatile as $$
      select settlement_no_of((select i.code from institution i where i.id = $1), $2, nextval('claim_settlement_seq'))
    $$;
    alter table claim add column settlement_no text;
    update claim c set settlement_no = settlement_no_of(i.code, c.service_date, o.n)
      from (select id, person_id, row_number() over (order by settled_at, id) as n from claim) o, institution i
      where o.id = c.id and o.person_id = c.person_id and i.id = c.institution_id;
    select setval('claim_settlement_seq', greatest((select count(*) from claim), 1), (select count(*) from claim) > 0);
    alter table claim alter column settlement_no set not null;
    create function claim_number() returns trigger language plpgsql as $$
      begin
        new.settlement_no := claim_settlement_no(new.institution_id, new.service_date);
        return new;
      end $$;
    create trigger claim_number before insert on claim for each row when (new.settlement_no is null) execute function claim_number();
    create index claim_institution_settled on claim (institution_id, settled_at);
    create index claim_institution_reversed on claim (institution_id, reversed_at) where reversed_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index claim_institution_reversed, claim_institution_settled;
    drop trigger claim_number on claim;
    drop function claim_number();
    alter table claim drop column settlement_no;
    drop function claim_settlement_no(uuid, date);
    drop function settlement_no_of(text, date, bigint);
    drop sequence claim_settlement_seq;
  `.execute(db);
}
