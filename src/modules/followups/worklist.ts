// The family doctor team's follow-up worklists, most urgent first. The candidate set is the team's
// active contracts (an index-only scan of contract_team), joined to one followup_state row per patient;
// a patient never seen is due the routine interval after the contract started (dueState's rule for "never seen";
// the interval is the engine's ROUTINE_INTERVAL_MONTHS, passed to the query as a parameter).
import { sql } from 'kysely';
import { addDays, ageOn, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { dueState } from '../../engine/followup/management';
import { ROUTINE_INTERVAL_MONTHS } from '../../engine/followup/schedule';
import type { FollowupAction, FollowupClassification } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import { csvCell, csvDocument } from '../../core/csv';
import type { Language } from '../../core/language';

export const WORKLISTS = ['due_this_week', 'overdue', 'not_seen_this_quarter', 'uncontrolled', 'referral_pending'] as const;
export type Worklist = (typeof WORKLISTS)[number];

export interface WorklistFilter {
  list: Worklist;
  limit: number;
  offset: number;
}

const quarterStart = (today: string) => `${today.slice(0, 4)}-${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;

export async function worklist(ctx: AppContext, actor: Actor, f: WorklistFilter) {
  const user = actor.user;
  await requireAccess(ctx, actor, 'team.read', { teamId: user.teamId });
  const today = shanghaiDate(ctx.now());
  const weekEnd = addDays(today, 6);
  const due = sql<string>`coalesce(s.due_date, (w.start_date + make_interval(months => ${ROUTINE_INTERVAL_MONTHS}::int))::date)`;
  const severity = sql`case s.last_action when 'urgent_referral' then 3 when 'refer_and_check' then 2 when 'adjust_recheck' then 1 else 0 end`;
  const filter = {
    due_this_week: sql`${due} between ${today}::date and ${weekEnd}::date`,
    overdue: sql`${due} < ${today}::date`,
    not_seen_this_quarter: sql`(s.last_visit_date is null or s.last_visit_date < ${quarterStart(today)}::date)`,
    uncontrolled: sql`s.last_controlled = false`,
    referral_pending: sql`s.last_action in ('refer_and_check', 'urgent_referral')`,
  }[f.list];
  // most urgent first: the worst action at the last visit, then the longest overdue
  const order = {
    due_this_week: sql`${due}, ${severity} desc`,
    overdue: sql`${due}, ${severity} desc`,
    not_seen_this_quarter: sql`${due}, s.last_visit_date nulls first`,
    uncontrolled: sql`${severity} desc, ${due}`,
    referral_pending: sql`${severity} desc, s.last_visit_date`,
  }[f.list];

  const run = (limit: number, offset: number) => sql<{
    id: string; name: string; sex: string; birth_date: string; id_number: string; phone: string | null; start_date: string;
    last_visit_date: string | null; next_visit_date: string | null; last_classification: FollowupClassification | null; last_action: FollowupAction | null;
    last_controlled: boolean | null; due_date: string; total: number;
  }>`
    with w as materialized (
      select c.person_id, c.start_date from contract c
      where c.team_id = ${user.teamId} and c.status = 'active' and c.end_date >= ${today}::date
    )
    select p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, w.start_date,
      s.last_visit_date, s.next_visit_date, s.last_classification, s.last_action, s.last_controlled,
      ${due} as due_date, count(*) over () as total
    from w
    join person p on p.id = w.person_id
    left join followup_state s on s.person_id = w.person_id
    where ${filter}
      and exists (select 1 from person_condition pc where pc.person_id = w.person_id and pc.disease_code in ('hypertension', 'diabetes'))
    order by ${order}, p.id
    limit ${limit} offset ${offset}
  `.execute(ctx.db);
  const rows = await run(f.limit, f.offset);
  // a page past the end still tells the total
  const total = rows.rows.length ? Number(rows.rows[0].total) : f.offset > 0 ? Number((await run(1, 0)).rows[0]?.total ?? 0) : 0;
  const ids = rows.rows.map((r) => r.id);
  const conditions = ids.length
    ? await ctx.db.selectFrom('person_condition').select(['person_id', 'disease_code']).where('person_id', 'in', ids).where('disease_code', 'in', ['hypertension', 'diabetes']).execute()
    : [];
  await writeAudit(ctx.db, actor, rows.rows.map((r) => ({ action: 'search' as const, entity: 'person', entityId: r.id, personId: r.id, detail: { worklist: f.list } })));
  return {
    list: f.list,
    today,
    total,
    items: rows.rows.map((r) => {
      const d = dueState(r.last_visit_date ?? r.start_date, r.next_visit_date, today);
      return {
        person: { id: r.id, name: r.name, sex: r.sex, age: ageOn(r.birth_date, today), idNumber: maskResidentId(r.id_number), phone: r.phone },
        diseases: conditions.filter((c) => c.person_id === r.id).map((c) => c.disease_code),
        lastVisitDate: r.last_visit_date,
        lastClassification: r.last_classification,
        lastAction: r.last_action,
        lastControlled: r.last_controlled,
        dueDate: d.dueDate,
        dueState: d.state,
        daysOverdue: d.daysOverdue,
        daysUntilDue: d.daysUntilDue,
      };
    }),
  };
}

// one argument only: a cell passed to .map() must not take the index for `numeric`
const cell = (v: unknown) => csvCell(v);

type Labels = Record<string, Record<Language, string>>;

const CSV_HEAD: Record<Language, string[]> = {
  zh: ['姓名', '性别', '年龄', '身份证号（脱敏）', '联系电话', '病种', '上次随访日期', '上次随访分类', '上次处理', '应随访日期', '随访状态', '逾期天数'],
  en: ['Name', 'Sex', 'Age', 'ID number (masked)', 'Phone', 'Diseases', 'Last visit', 'Last classification', 'Last action', 'Due date', 'Due state', 'Days overdue'],
};

const SEX: Labels = { male: { zh: '男', en: 'male' }, female: { zh: '女', en: 'female' } };
const CLASSIFICATION: Labels = {
  satisfactory: { zh: '控制满意', en: 'satisfactory' },
  unsatisfactory: { zh: '控制不满意', en: 'unsatisfactory' },
  adverse_reaction: { zh: '不良反应', en: 'adverse reaction' },
  complication: { zh: '并发症', en: 'complication' },
};
const ACTION: Labels = {
  routine: { zh: '常规随访', en: 'routine follow-up' },
  adjust_recheck: { zh: '调整治疗，2周内随访', en: 'adjust treatment, recheck within 2 weeks' },
  refer_and_check: { zh: '建议转诊，2周内随访', en: 'refer, check within 2 weeks' },
  urgent_referral: { zh: '紧急转诊', en: 'urgent referral' },
};
const DUE_STATE: Labels = {
  due_this_week: { zh: '本周到期', en: 'due this week' },
  overdue: { zh: '已逾期', en: 'overdue' },
  not_due: { zh: '未到期', en: 'not due' },
};

const labelOf = (labels: Labels, code: string | null, language: Language) =>
  code === null ? '' : Object.hasOwn(labels, code) ? labels[code][language] : code;

/** The worklist as a spreadsheet reads it: UTF-8 with BOM, Chinese headers and labels unless English is asked for. */
export async function worklistCsv(ctx: AppContext, actor: Actor, list: Worklist, language: Language = 'zh') {
  const result = await worklist(ctx, actor, { list, limit: 5000, offset: 0 });
  await writeAudit(ctx.db, actor, [{ action: 'export', entity: 'followup_worklist', detail: { list, rows: result.items.length, language } }]);
  const diseases = await ctx.db.selectFrom('disease').select(['code', 'name_zh', 'name_en']).execute();
  const diseaseName = (code: string) => {
    const d = diseases.find((x) => x.code === code);
    return d ? (language === 'zh' ? d.name_zh : d.name_en) : code;
  };
  const lines = result.items.map((i) => [
    i.person.name, labelOf(SEX, i.person.sex, language), i.person.age, i.person.idNumber, i.person.phone,
    i.diseases.map(diseaseName).join(language === 'zh' ? '、' : ' + '), i.lastVisitDate,
    labelOf(CLASSIFICATION, i.lastClassification, language), labelOf(ACTION, i.lastAction, language),
    i.dueDate, labelOf(DUE_STATE, i.dueState, language), i.daysOverdue,
  ].map(cell).join(','));
  return csvDocument([CSV_HEAD[language].map(cell).join(','), ...lines]);
}
