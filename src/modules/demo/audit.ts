// The demo's smart audit (issue 15): the demo city's ordinary claims trip no rule, so a few
// irregularities are planted on its last day, at the demo reviewer's county and at the first county of the
// capitation pilot (so provider payment has a township's recovery to show) — an early refill at the
// same centre, the same drug again at a chain pharmacy (an overlap across places, or an early
// refill when few days were left), two ARBs in one purchase, one visit settled as two claims, a 90-day supply where Jiaxing
// allows 84, and metformin under the benefit for a hypertension-only patient — and the last 30 days
// are audited, so the reviewer opens a queue that is short and plausible and the nightly job finds
// its window done. Claims are written as the counter writes them (60 % fund at grassroots, 53 % at a
// pharmacy, the rest self-paid), each with its settled event.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { PolicyBook } from '../../core/policyBook';
import { addDays, type IsoDate } from '../../engine/calendar';
import { applyRatio } from '../../engine/money';
import { parametersFor } from '../payments/service';
import { auditRange } from '../smartAudit/service';
import { loadDrugs } from '../reference/service';

interface Patient {
  person_id: string;
  insurance_type: 'resident' | 'employee';
  centre_id: string;
  pharmacy_id: string | null;
  last_date: string;
  last_drug: string;
  last_days: number;
  last_quantity: number;
  drugs: string[];
}

interface PlantLine {
  drug: string;
  quantity: number;
  days: number;
  disease?: string;
}

async function plantClaim(db: Database, p: Patient, date: IsoDate, lines: PlantLine[], at: { institutionId: string; level: 'grassroots' | 'pharmacy'; hour: number; by: string }) {
  const prices = new Map(loadDrugs().map((d) => [d.code, d.priceFen]));
  const id = randomUUID();
  const ratio = at.level === 'pharmacy' ? 5300 : 6000;
  const rows = lines.map((l, i) => {
    const amount = l.quantity * prices.get(l.drug)!;
    const fund = applyRatio(amount, ratio);
    return { ...l, lineNo: i + 1, price: prices.get(l.drug)!, amount, fund, copay: amount - fund };
  });
  const sum = (k: 'amount' | 'fund' | 'copay') => rows.reduce((s, r) => s + r[k], 0);
  const settledAt = `${date}T${String(at.hour).padStart(2, '0')}:12:00+08:00`;
  await db.insertInto('claim').values({
    id, person_id: p.person_id, institution_id: at.institutionId, idempotency_key: `demo-audit-${id}`, request_hash: 'demo', service_date: date, insurance_type: p.insurance_type,
    institution_level: at.level, policy_id: 'jiaxing-2021', amount_fen: sum('amount'), fund_pay_fen: sum('fund'), deductible_fen: 0, copay_fen: sum('copay'), over_limit_fen: 0,
    critical_illness_fen: sum('copay'), settled_by: at.by, settled_at: settledAt,
  }).execute();
  await db.insertInto('claim_line').values(rows.map((r) => ({
    claim_id: id, person_id: p.person_id, line_no: r.lineNo, drug_code: r.drug, quantity: r.quantity, unit_price_fen: r.price, amount_fen: r.amount, days_supply: r.days,
    disease_code: r.disease ?? 'hypertension', scope: 'two_disease' as const, scope_reason: 'registered_disease', benefit: 'two_disease', reason: 'two_disease', ratio_bp: ratio,
    fund_pay_fen: r.fund, deductible_fen: 0, copay_fen: r.copay, over_limit_fen: 0, fund_remaining_fen: null, critical_illness_fen: r.copay, drug_lists: ['chronic-common', 'nrdl'],
    explanation: `城乡居民医保｜${at.level === 'pharmacy' ? '定点零售药店' : '基层医疗机构'}：“两病”门诊用药保障（慢性病门诊），报销比例${ratio / 100}%，不设起付线`,
  }))).execute();
  await db.insertInto('claim_event').values({ claim_id: id, person_id: p.person_id, user_id: at.by, from_status: null, to_status: 'settled', at: settledAt }).execute();
}

/** Plants the irregularities on the day before `asOf` and audits the 30 days up to it; answers the findings of that day. */
export async function auditDemo(db: Database, policies: PolicyBook, asOf: IsoDate) {
  const day = addDays(asOf, -1);
  const reviewer = await db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirst();
  if (!reviewer?.region_code) return { day, findings: 0 };
  const pilot = parametersFor(Number(asOf.slice(0, 4)))?.capitation.counties.codes[0];
  for (const county of new Set([reviewer.region_code, ...(pilot ? [pilot] : [])])) await plantIrregularities(db, county, day);
  const runs = await auditRange({ db, policies, now: () => new Date(`${asOf}T01:00:00+08:00`) }, { from: addDays(asOf, -30), to: day, trigger: 'cli' });
  return { day, findings: runs[runs.length - 1].findingsTotal };
}

async function plantIrregularities(db: Database, county: string, day: IsoDate) {
  // hypertension-only patients of the county with a resident claim at their centre 10–40 days ago, none since
  const { rows } = await sql<Patient>`
    select distinct on (c.person_id) c.person_id, c.insurance_type, c.institution_id as centre_id,
      (select i.id from institution i where i.kind = 'pharmacy' and i.county_code = ${county} order by i.code offset 1 limit 1) as pharmacy_id,
      to_char(c.service_date, 'YYYY-MM-DD') as last_date, l.drug_code as last_drug, l.days_supply as last_days, l.quantity as last_quantity,
      array(select distinct x.drug_code from claim_line x where x.person_id = c.person_id) as drugs
    from claim c join claim_line l on l.person_id = c.person_id and l.claim_id = c.id and l.line_no = 1
    join institution ci on ci.id = c.institution_id
    where ci.county_code = ${county} and ci.level = 'grassroots' and c.status = 'settled' and c.insurance_type = 'resident'
      and c.service_date between ${addDays(day, -40)}::date and ${addDays(day, -10)}::date and l.days_supply >= 56
      and not exists (select 1 from claim y where y.person_id = c.person_id and y.service_date > c.service_date)
      and not exists (select 1 from app_user u where u.person_id = c.person_id)
      and (select array_agg(r.disease_code) from registration r where r.person_id = c.person_id and r.effective_to is null) = array['hypertension']
      and (select count(*) from claim_line z where z.person_id = c.person_id and z.claim_id = c.id) = 1
    order by c.person_id, c.service_date desc`.execute(db);
  const by = (await db.selectFrom('app_user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  const take = (n: number) => rows.slice(n, n + 1)[0];
  const centre = (p: Patient, hour = 10) => ({ institutionId: p.centre_id, level: 'grassroots' as const, hour, by });
  const fresh = (p: Patient, ...codes: string[]) => codes.every((c) => !p.drugs.includes(c));
  const plants: Array<(trx: Database) => Promise<void>> = [];
  const early = take(0);
  if (early) plants.push((trx) => plantClaim(trx, early, day, [{ drug: early.last_drug, quantity: early.last_quantity, days: early.last_days }], centre(early)));
  const overlap = take(1);
  if (overlap?.pharmacy_id) plants.push((trx) => plantClaim(trx, overlap, day, [{ drug: overlap.last_drug, quantity: overlap.last_quantity, days: overlap.last_days }], { institutionId: overlap.pharmacy_id!, level: 'pharmacy', hour: 15, by }));
  const [dup, split, long, offLabel] = [2, 3, 4, 5].map(take);
  if (dup && fresh(dup, 'D0008', 'D0010')) plants.push((trx) => plantClaim(trx, dup, day, [{ drug: 'D0008', quantity: 1, days: 28 }, { drug: 'D0010', quantity: 1, days: 28 }], centre(dup, 9)));
  if (split && fresh(split, 'D0024', 'D0019')) {
    plants.push((trx) => plantClaim(trx, split, day, [{ drug: 'D0024', quantity: 1, days: 30 }], centre(split, 9)));
    plants.push((trx) => plantClaim(trx, split, day, [{ drug: 'D0019', quantity: 2, days: 30 }], centre(split, 11)));
  }
  if (long && fresh(long, 'D0001')) plants.push((trx) => plantClaim(trx, long, day, [{ drug: 'D0001', quantity: 4, days: 90 }], centre(long, 14)));
  if (offLabel && fresh(offLabel, 'D0033')) plants.push((trx) => plantClaim(trx, offLabel, day, [{ drug: 'D0033', quantity: 2, days: 30, disease: 'diabetes' }], centre(offLabel, 16)));
  await db.transaction().execute(async (trx) => {
    for (const plant of plants) await plant(trx);
  });
}
