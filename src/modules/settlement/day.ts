// The counter's end-of-day list (日结, issue 13): an institution's settlements and reversals of one
// Beijing day, with totals by benefit and by payer, reversals netted — and the same as a CSV. A sale
// counts on the day it was settled (settled_at), a reversal on the day it was made (reversed_at), as
// the money moved at the counter; a claim settled and reversed the same day nets to nothing. The
// numbers are the claims' splits as settled; what a reversal's re-settlement changed on the person's
// other claims (补扣/补付) is on the reversal's receipt. Lists over many people: on a sharded database
// every shard answers from claim_institution_settled / claim_institution_reversed (migration 0014).
import { sql } from 'kysely';
import { addDays } from '../../engine/calendar';
import { formatYuan } from '../../engine/money';
import { maskResidentId } from '../../engine/identity/residentId';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
// cell(amount, true): a negative amount stays a number (it is ours, not typed in)
import { beijingTime, csvCell as cell, csvDocument } from '../../core/csv';
import type { AppContext } from '../../core/context';
import type { Language } from '../../core/language';
import { forbidden } from '../../core/problem';
import { payersOf } from './view';

export const DAY_BENEFITS = ['two_disease', 'general', 'specified', 'none'] as const;
type DayBenefit = (typeof DAY_BENEFITS)[number];

interface Sums { amountFen: number; fundFen: number; accountFen: number; cashFen: number }
const zero = (): Sums => ({ amountFen: 0, fundFen: 0, accountFen: 0, cashFen: 0 });
const add = (a: Sums, b: Sums, sign: number) => {
  a.amountFen += sign * b.amountFen; a.fundFen += sign * b.fundFen; a.accountFen += sign * b.accountFen; a.cashFen += sign * b.cashFen;
};

interface DayRow {
  id: string; settlement_no: string; status: 'settled' | 'reversed'; settled_at: Date | string; reversed_at: Date | string | null; reversal_reason: string | null;
  service_date: string; insurance_type: string; policy_id: string; amount_fen: number; fund_pay_fen: number; person_name: string; id_number: string;
  benefits: Array<{ benefit: string; amount: number; fund: number }>;
}

export async function dayList(ctx: AppContext, actor: Actor, date: string) {
  // the caller's own institution, and only there (a user without one is refused alike)
  await requireAccess(ctx, actor, 'claim.day.read', { institutionId: actor.user.institutionId ?? null });
  const institutionId = actor.user.institutionId;
  if (!institutionId) throw forbidden('Your role or scope does not allow this');
  const from = new Date(`${date}T00:00:00+08:00`);
  const to = new Date(`${addDays(date, 1)}T00:00:00+08:00`);
  const [institution, { rows }] = await Promise.all([
    ctx.db.selectFrom('institution').select(['id', 'code', 'name']).where('id', '=', institutionId).executeTakeFirstOrThrow(),
    sql<DayRow>`
      select c.id, c.settlement_no, c.status, c.settled_at, c.reversed_at, c.reversal_reason, c.service_date::text as service_date, c.insurance_type, c.policy_id,
        c.amount_fen, c.fund_pay_fen, p.name as person_name, p.id_number,
        (select coalesce(json_agg(json_build_object('benefit', b.benefit, 'amount', b.amount, 'fund', b.fund)), '[]')
         from (select l.benefit, sum(l.amount_fen) as amount, sum(l.fund_pay_fen) as fund from claim_line l
               where l.person_id = c.person_id and l.claim_id = c.id group by l.benefit) b) as benefits
      from claim c join person p on p.id = c.person_id
      where c.institution_id = ${institutionId}
        and ((c.settled_at >= ${from} and c.settled_at < ${to}) or (c.reversed_at >= ${from} and c.reversed_at < ${to}))`.execute(ctx.db),
  ]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'claim', personId: null, detail: { day: date, institutionId } }]);

  const inDay = (t: Date | string | null) => t !== null && new Date(t) >= from && new Date(t) < to;
  const entries = rows.flatMap((r) => {
    const payers = payersOf(r);
    const base = {
      claimId: r.id, settlementNo: r.settlement_no, serviceDate: r.service_date, insuranceType: r.insurance_type,
      policy: { id: r.policy_id, name: ctx.policies.byId(r.policy_id)?.policy.name ?? r.policy_id },
      person: { name: r.person_name, idNumber: maskResidentId(r.id_number) },
      benefits: Object.fromEntries(DAY_BENEFITS.map((b) => [b, zero()])) as Record<DayBenefit, Sums>,
    };
    for (const b of r.benefits) {
      const key = (DAY_BENEFITS as readonly string[]).includes(b.benefit) ? (b.benefit as DayBenefit) : 'none';
      // the account pays nothing today (payersOf): what the fund does not pay on a line is cash
      add(base.benefits[key], { amountFen: Number(b.amount), fundFen: Number(b.fund), accountFen: 0, cashFen: Number(b.amount) - Number(b.fund) }, 1);
    }
    const sums: Sums = { amountFen: Number(r.amount_fen), ...payers };
    const out = [];
    if (inDay(r.settled_at)) out.push({ ...base, kind: 'settlement' as const, at: new Date(r.settled_at).toISOString(), reason: null, sign: 1, ...sums });
    if (inDay(r.reversed_at)) out.push({ ...base, kind: 'reversal' as const, at: new Date(r.reversed_at!).toISOString(), reason: r.reversal_reason, sign: -1, ...sums });
    return out;
  }).sort((a, b) => a.at.localeCompare(b.at) || a.settlementNo.localeCompare(b.settlementNo));

  const total = zero();
  const byBenefit = Object.fromEntries(DAY_BENEFITS.map((b) => [b, zero()])) as Record<DayBenefit, Sums>;
  for (const e of entries) {
    add(total, e, e.sign);
    for (const b of DAY_BENEFITS) add(byBenefit[b], e.benefits[b], e.sign);
  }
  return {
    date,
    institution,
    // a reversal's amounts are negative: the list's totals are the sums of its rows
    entries: entries.map(({ sign, benefits, amountFen, fundFen, accountFen, cashFen, ...e }) => ({
      ...e, amountFen: sign * amountFen, fundFen: sign * fundFen, accountFen: sign * accountFen, cashFen: sign * cashFen,
    })),
    totals: {
      settlements: entries.filter((e) => e.kind === 'settlement').length,
      reversals: entries.filter((e) => e.kind === 'reversal').length,
      ...total,
      byBenefit,
    },
  };
}

type Day = Awaited<ReturnType<typeof dayList>>;

const HEAD: Record<Language, string[]> = {
  zh: ['结算单号', '类型', '时间（北京时间）', '就诊日期', '参保人', '身份证号（脱敏）', '险种', '待遇政策', '医疗费用（元）', '统筹基金（元）', '个人账户（元）', '现金（元）', '冲正原因'],
  en: ['Settlement no.', 'Kind', 'Time (Beijing, UTC+8)', 'Service date', 'Patient', 'ID number (masked)', 'Insurance', 'Policy', 'Amount (yuan)', 'Fund (yuan)', 'Personal account (yuan)', 'Cash (yuan)', 'Reversal reason'],
};
const LABELS: Record<string, Record<Language, string>> = {
  settlement: { zh: '结算', en: 'settlement' },
  reversal: { zh: '冲正', en: 'reversal' },
  resident: { zh: '城乡居民', en: 'resident' },
  employee: { zh: '职工', en: 'employee' },
  total: { zh: '合计', en: 'Total' },
  two_disease: { zh: '其中：两病门诊', en: 'of which: two-disease' },
  general: { zh: '其中：普通门诊', en: 'of which: general outpatient' },
  specified: { zh: '其中：规定病种', en: 'of which: specified diseases' },
  none: { zh: '其中：自费（不予支付）', en: 'of which: self-paid (not covered)' },
};
const label = (code: string, language: Language) => LABELS[code]?.[language] ?? code;

/** The day list as a spreadsheet reads it: UTF-8 with a BOM, Chinese headers unless English is asked for. */
export function dayCsv(day: Day, language: Language): string {
  const money = (s: Sums) => [s.amountFen, s.fundFen, s.accountFen, s.cashFen].map((f) => cell(formatYuan(f), true));
  const lines = [HEAD[language].map((h) => cell(h)).join(',')];
  for (const e of day.entries) {
    lines.push([
      cell(e.settlementNo), cell(label(e.kind, language)), cell(beijingTime(e.at)), cell(e.serviceDate), cell(e.person.name), cell(e.person.idNumber),
      cell(label(e.insuranceType, language)), cell(e.policy.name), ...money(e), cell(e.reason),
    ].join(','));
  }
  const summary = (code: string, s: Sums) => [cell(label(code, language)), ...Array.from({ length: 7 }, () => cell('')), ...money(s), cell('')].join(',');
  lines.push(summary('total', day.totals));
  for (const b of DAY_BENEFITS) lines.push(summary(b, day.totals.byBenefit[b]));
  return csvDocument(lines);
}
