// Who may do what, to whom: one table. Each permission names, per role that holds it, the scope rule
// that must hold between the user and the target (their area, their team's contracted patient, their
// institution's claim, their own record). `requireAccess` is the first line of every use case; a
// refusal is a 403 that says nothing about whether the target exists, and it is audited. New
// capabilities add rows here, not code. docs/access.md shows the table as officials read it (a test
// keeps the two the same).
import { sql } from 'kysely';
import { shanghaiDate } from '../engine/calendar';
import type { Role } from '../db/schema';
import { type Actor, writeAudit } from './audit';
import type { AppContext } from './context';
import { forbidden } from './problem';

/** How the target must relate to the user. */
export type ScopeRule =
  | 'everywhere' // system administration
  | 'area' // the target lives (or the filing's county lies) within the user's area: team's town, institution's or agency's county, city
  | 'contracted_team' // the person has a contract in force with the user's team
  | 'own_team' // the filing, contract or team is the user's team's
  | 'in_review_here' // the person has a filing awaiting review in the user's county
  | 'own_institution' // the claim was settled at (or the diagnosis made by) the user's institution
  | 'own_record' // the patient themself
  | 'own_provider' // the delivery order is the user's delivery provider's (issue 14: the delivery module's permissions)
  | 'referred_here' // the person has a referral in force with the user's hospital (双向转诊, src/modules/referrals)
  | 'institution_patients'; // the institution serves the person: a contract in force with one of its teams, a referral to or from it, a claim settled there

export const SCOPE_RULES: Record<ScopeRule, { zh: string; en: string }> = {
  everywhere: { zh: '全部', en: 'everyone (system administration)' },
  area: { zh: '本辖区', en: 'within the user’s area: the team’s town, the institution’s or agency’s county, the city' },
  contracted_team: { zh: '本团队签约', en: 'persons with a contract in force with the user’s team' },
  own_team: { zh: '本团队', en: 'the filing, contract or team is the user’s team’s' },
  in_review_here: { zh: '本县区待审核', en: 'persons with a filing awaiting review in the user’s county' },
  own_institution: { zh: '本机构', en: 'the claim was settled at (or the diagnosis made by) the user’s institution' },
  own_record: { zh: '本人', en: 'the patient themself' },
  own_provider: { zh: '本配送企业', en: 'the delivery order is the user’s delivery provider’s' },
  referred_here: {
    zh: '转诊至本院（转诊有效期内：上转待接诊、已接诊、已就诊；下转至随访完成前）',
    en: 'persons with a referral in force with the user’s hospital: an up-referral to it requested, accepted or attended; a down-referral from it until the team followed it up',
  },
  institution_patients: {
    zh: '本机构的患者（与本机构团队签约有效、与本机构有转诊记录，或在本机构结算过）',
    en: 'the institution’s patients: a contract in force with one of its teams, a referral to or from it, or a claim settled there',
  },
};

interface PermissionRow {
  zh: string;
  en: string;
  grants: Partial<Record<Role, ScopeRule>>;
}

const staffCard = { family_doctor: 'area', pharmacist: 'area', insurance_reviewer: 'area', system_admin: 'everywhere', patient: 'own_record' } as const;
const treating = { family_doctor: 'contracted_team', insurance_reviewer: 'in_review_here', patient: 'own_record' } as const;
const counter = { pharmacist: 'area', family_doctor: 'area' } as const;

export const ACCESS = {
  'person.search': { zh: '查询参保人', en: 'Search insured persons', grants: { family_doctor: 'area', pharmacist: 'area', insurance_reviewer: 'area', system_admin: 'everywhere', specialist: 'area' } },
  'person.read': { zh: '查看参保人信息（身份证号脱敏）', en: 'See a person’s card (ID number masked)', grants: { ...staffCard, specialist: 'referred_here' } },
  'person.idNumber.reveal': { zh: '查看完整身份证号（留痕）', en: 'Reveal the full ID number (audited)', grants: { pharmacist: 'area', insurance_reviewer: 'area', system_admin: 'everywhere', patient: 'own_record' } },
  'person.eligibility.read': { zh: '查看待遇资格', en: 'See benefit eligibility', grants: staffCard },
  'person.chart.read': { zh: '查看健康档案、随访和体检', en: 'See the health record, follow-ups and checks', grants: { ...treating, specialist: 'referred_here' } },
  'person.followUp.write': { zh: '录入随访和年度体检', en: 'Record follow-ups and annual checks', grants: { family_doctor: 'contracted_team' } },
  'person.claims.read': { zh: '查看年度结算和限额', en: 'See the year’s claims and limits', grants: { ...counter, insurance_reviewer: 'area', system_admin: 'everywhere', patient: 'own_record' } },
  'contract.sign': { zh: '签约', en: 'Sign a contract', grants: { family_doctor: 'area' } },
  'contract.change': { zh: '续约、解约', en: 'Renew or terminate a contract', grants: { family_doctor: 'own_team' } },
  'contract.read': { zh: '查看签约', en: 'See contracts', grants: { family_doctor: 'area', insurance_reviewer: 'area', system_admin: 'everywhere', patient: 'own_record' } },
  'contract.consentForm.read': { zh: '下载签约知情同意书', en: 'Download the signed consent form', grants: { family_doctor: 'own_team', insurance_reviewer: 'in_review_here', patient: 'own_record' } },
  'team.read': { zh: '查看团队、签约名单和随访工作清单', en: 'See the team, its patients and worklists', grants: { family_doctor: 'own_team' } },
  // the patient must be contracted with the team too: a state rule, answered 409 not_contracted / contracted_with_other_team
  'filing.submit': { zh: '提交认定登记', en: 'File a registration', grants: { family_doctor: 'area' } },
  'filing.fix': { zh: '修改、撤回认定登记', en: 'Fix or withdraw a filing', grants: { family_doctor: 'own_team' } },
  'filing.read': { zh: '查看认定登记', en: 'See a filing', grants: { family_doctor: 'own_team', insurance_reviewer: 'area' } },
  'filing.approve': { zh: '审核认定登记（确认、退回）', en: 'Review a filing (approve, return)', grants: { insurance_reviewer: 'area' } },
  'claim.settle': { zh: '试算、结算', en: 'Quote and settle a purchase', grants: counter },
  'claim.reverse': { zh: '冲正/退费', en: 'Reverse a claim', grants: { pharmacist: 'own_institution', family_doctor: 'own_institution' } },
  'claim.read': { zh: '查看结算单', en: 'See a receipt', grants: { pharmacist: 'own_institution', family_doctor: 'own_institution', institution_admin: 'own_institution', insurance_reviewer: 'area', system_admin: 'everywhere', patient: 'own_record' } },
  // issue 13: the counter's end-of-day list (日结) is of the caller's own institution
  'claim.day.read': { zh: '查看本机构日结清单', en: 'See the institution’s end-of-day list of settlements', grants: { pharmacist: 'own_institution', family_doctor: 'own_institution', institution_admin: 'own_institution' } },
  // issue 13: an institution administrator's file may only name their institution; other lines are refused one by one
  'roster.import': { zh: '导入参保人员名单', en: 'Import the insurance agency’s roster of insured persons', grants: { system_admin: 'everywhere' } },
  'diagnoses.import': { zh: '导入诊断（健康档案）', en: 'Import health-record diagnoses', grants: { system_admin: 'everywhere', institution_admin: 'own_institution' } },
  'own.read': { zh: '查看本人的信息、签约、随访和提醒', en: 'See one’s own record, contract, follow-ups and reminders', grants: { patient: 'own_record' } },
  // administration: an institution's administrator works within its institution, the system administrator everywhere
  'user.manage': { zh: '管理用户（新建、修改角色和范围、停用、重置密码）', en: 'Manage users (create, change role and scope, disable, reset password)', grants: { system_admin: 'everywhere', institution_admin: 'own_institution' } },
  'institution.manage': { zh: '管理医疗机构和医共体', en: 'Manage institutions and medical communities', grants: { system_admin: 'everywhere' } },
  'team.manage': { zh: '管理家庭医生团队、成员和医务人员', en: 'Manage family-doctor teams, their members and practitioners', grants: { system_admin: 'everywhere', institution_admin: 'own_institution' } },
  'catalogue.read': { zh: '查看药品目录、待遇政策和服务包', en: 'See the drug catalogue, benefit policies and service packages', grants: { system_admin: 'everywhere', institution_admin: 'everywhere' } },
  // the audit trail: the institution's administrator sees only rows written by its own users (users of the
  // institution or of one of its teams), a rule the audit-log query applies (src/modules/auditLog)
  'audit.read': { zh: '查看、导出审计日志（机构管理员：仅本机构及其团队用户的操作）', en: 'See and export the audit log (an institution’s administrator: only what users of the institution or its teams did)', grants: { system_admin: 'everywhere', institution_admin: 'own_institution' } },
  // issue 14: prescriptions (长处方、续方、延伸处方、云处方), review (审方), dispensing, delivery (送药到家) and stock (备药)
  'prescription.write': { zh: '开具、续开、延伸处方，提交和作废', en: 'Write, renew or extend a prescription; submit or cancel it', grants: { family_doctor: 'contracted_team' } },
  'prescription.read': { zh: '查看处方及其记录', en: 'See prescriptions and their history', grants: { family_doctor: 'contracted_team', pharmacist: 'area', insurance_reviewer: 'area', patient: 'own_record', specialist: 'referred_here' } },
  'prescription.review': { zh: '审方（通过、退回）', en: 'Review a prescription (approve, return)', grants: { pharmacist: 'area' } },
  'prescription.place': { zh: '选择取药地点（本机构、定点药店、送药到家）', en: 'Choose where a prescription is filled (own institution, chain pharmacy, home delivery)', grants: { family_doctor: 'contracted_team', patient: 'own_record' } },
  'prescription.dispense': { zh: '调剂发药并结算', en: 'Dispense a prescription and settle it', grants: { pharmacist: 'area' } },
  'dispense.return': { zh: '退药（冲正结算、退回库存）', en: 'Take back a dispense (reverses its claim, stock goes back)', grants: { pharmacist: 'own_institution' } },
  'renewal.request': { zh: '申请线上续方', en: 'Ask for an online renewal', grants: { patient: 'own_record' } },
  'renewal.handle': { zh: '处理续方申请', en: 'Handle renewal requests', grants: { family_doctor: 'own_team' } },
  'stock.read': { zh: '查看药品库存和备药率', en: 'See drug stock and the stock rate', grants: { pharmacist: 'own_institution', institution_admin: 'own_institution', system_admin: 'everywhere', analyst: 'area' } },
  'stock.manage': { zh: '药品入库、盘点', en: 'Receive and adjust drug stock', grants: { pharmacist: 'own_institution', institution_admin: 'own_institution' } },
  // 送药到家 (issue 14, src/modules/delivery): the fill institution's pharmacist orders and rechecks first; the
  // provider's staff recheck, deliver and bring back; two different people recheck, one of them a pharmacist
  // (a state rule, answered 409 recheck_same_person / recheck_pharmacist_required)
  'delivery.order': { zh: '下达送药到家配送单（调剂并结算）', en: 'Order a home delivery (dispensed and settled with the order)', grants: { pharmacist: 'own_institution' } },
  'delivery.recheck': { zh: '配送单双人复核', en: 'Recheck a delivery order (two different people)', grants: { pharmacist: 'own_institution', delivery: 'own_provider' } },
  'delivery.handle': { zh: '出发配送、签收上传、配送失败或退回', en: 'Take out, deliver with the signed receipt, or report a failed or returned delivery', grants: { delivery: 'own_provider' } },
  'delivery.read': { zh: '查看配送单、配送进度和签收照片', en: 'See delivery orders, their steps and the signed receipt', grants: { delivery: 'own_provider', pharmacist: 'own_institution', family_doctor: 'contracted_team', patient: 'own_record' } },
  'delivery.share.read': { zh: '查看送药到家处方占比', en: 'See the share of prescriptions delivered home', grants: { analyst: 'area', insurance_reviewer: 'area', system_admin: 'everywhere' } },
  'delivery.provider.manage': { zh: '管理配送企业', en: 'Manage delivery providers', grants: { system_admin: 'everywhere' } },
  // 双向转诊 (src/modules/referrals): the family doctor refers up and follows the down-referral; the hospital's
  // doctor (specialist) answers, sees the patient's record while the referral is in force (referred_here,
  // on person.read, person.chart.read and prescription.read) and refers down after discharge. A referral is
  // the team's (own_team: the sending team of an up-, the receiving team of a down-referral) and the hospital's
  // (own_institution: the receiving hospital of an up-, the sending hospital of a down-referral)
  'referral.create': { zh: '上转（转诊至二、三级医院）', en: 'Refer a patient up to a secondary or tertiary hospital', grants: { family_doctor: 'contracted_team' } },
  'referral.read': { zh: '查看转诊单及其记录', en: 'See referrals and their history', grants: { family_doctor: 'own_team', specialist: 'own_institution', insurance_reviewer: 'area', patient: 'own_record' } },
  'referral.handle': { zh: '接诊（预约、四优先）、拒绝、确认就诊、结束上转', en: 'Answer an up-referral: accept with the appointment and the four priorities, decline, record attendance, close', grants: { specialist: 'own_institution' } },
  'referral.discharge': { zh: '出院下转至签约团队', en: 'Refer a discharged patient down to their family-doctor team', grants: { specialist: 'area' } },
  'referral.followUp': { zh: '下转随访、转延伸处方、结束下转', en: 'Follow up a down-referral, turn its prescription into an extended one, close it', grants: { family_doctor: 'own_team' } },
  // issue 15, the smart audit's rules and runs (src/modules/smartAudit): a run covers every county, so only the system administrator starts one
  'smartAudit.run': { zh: '运行智能审核（按服务日期）', en: 'Run the smart audit for a service date', grants: { system_admin: 'everywhere' } },
  'smartAudit.rules.read': { zh: '查看智能审核规则和运行记录', en: 'See the smart audit’s rules and its runs', grants: { insurance_reviewer: 'area', analyst: 'area', system_admin: 'everywhere' } },
  // issue 15, the smart audit's review (src/modules/auditReview): a finding's or a sample's county is the target
  'smartAudit.findings.read': { zh: '查看智能审核疑点及其证据', en: 'See the smart audit’s findings and their evidence', grants: { insurance_reviewer: 'area', system_admin: 'everywhere' } },
  'smartAudit.findings.decide': { zh: '处理疑点（确认扣款、排除、重新打开）', en: 'Decide a finding (confirm with a deduction, dismiss, reopen)', grants: { insurance_reviewer: 'area' } },
  'smartAudit.sample': { zh: '抽样复核未标记的结算并推算扣款', en: 'Sample unflagged claims for review and extrapolate the deduction', grants: { insurance_reviewer: 'area' } },
  'smartAudit.summary.read': { zh: '查看机构、医师审核汇总（医保医师考核记分）', en: 'See the audit summary by institution and doctor (doctors’ assessment points)', grants: { insurance_reviewer: 'area', analyst: 'area', system_admin: 'everywhere', institution_admin: 'own_institution' } },
  // issue 16, the indicators (src/modules/indicators): the target is the county or city asked for
  'indicators.read': { zh: '查看指标看板（签约率、规范管理率、控制率、基层就诊率、基金支出）', en: 'See the indicators (contracting, standardised management, control, grassroots visits, fund spending)', grants: { analyst: 'area', insurance_reviewer: 'area', system_admin: 'everywhere' } },
  'indicators.patients.read': { zh: '查看指标背后的患者名单（分析员：姓名、身份证号脱敏；留痕）', en: 'See the patients behind an indicator (the analyst: names and ID numbers masked; audited)', grants: { analyst: 'area', insurance_reviewer: 'area' } },
  // the quarterly workbook (src/modules/reports): the target is the county asked for, or the city
  'reports.quarterly.read': { zh: '下载“两病”季报表（城乡居民医保、职工医保）', en: 'Download the quarterly workbook of the two diseases (residents’ and employees’ insurance)', grants: { analyst: 'area', insurance_reviewer: 'area', system_admin: 'everywhere' } },
  // issue 17, provider payment (src/modules/payments): the target is the county asked for, or the city
  'payments.read': { zh: '查看医保支付（按人头打包、总额预算、签约服务费、标化工作当量）及其计算依据', en: 'See provider payment (capitation, total budget, contract fee, work equivalents) and what each figure was computed from', grants: { analyst: 'area', insurance_reviewer: 'area', system_admin: 'everywhere' } },
  'payments.details.read': { zh: '查看支付数字背后的结算单和签约居民（姓名、身份证号脱敏；留痕）', en: 'See the claims and contracted residents behind a payment figure (names and ID numbers masked; audited)', grants: { analyst: 'area', insurance_reviewer: 'area' } },
  // issue 18, FHIR (src/modules/fhir): hospitals' bundles into the health record; the patients are the roster's
  // (an institution's administrator imports its own patients' records: the others of a bundle are skipped)
  'fhir.import': { zh: '导入 FHIR 数据（诊断、检查读数、院外用药；按身份证号或对照表匹配参保人）', en: 'Import FHIR data (diagnoses, readings, outside medication; persons matched by resident ID or an id map)', grants: { system_admin: 'everywhere', institution_admin: 'institution_patients' } },
  'fhir.patient.read': { zh: '以 FHIR 读取患者档案（Patient/$everything；身份证号脱敏，本人除外；留痕）', en: 'Read a patient’s record as FHIR (Patient/$everything; the ID number masked but to the patient; audited)', grants: { family_doctor: 'contracted_team', patient: 'own_record', specialist: 'referred_here', institution_admin: 'institution_patients', system_admin: 'everywhere' } },
  'fhir.export': { zh: '导出县区 FHIR 数据（NDJSON，向省、国家平台推送；留痕）', en: 'Export a county as FHIR NDJSON (for the provincial and national platforms; audited)', grants: { system_admin: 'everywhere' } },
} satisfies Record<string, PermissionRow>;

export type Permission = keyof typeof ACCESS;

/**
 * What the target is, as far as the rules need: the person it concerns, and where a filing, contract,
 * claim or team belongs. A fact not given is read from the database when a rule needs it.
 */
export interface Target {
  personId?: string | null;
  /** The person's address region code, or a filing's county code. */
  regionCode?: string | null;
  teamId?: string | null;
  institutionId?: string | null;
  /** The delivery provider of a delivery order. */
  providerId?: string | null;
}

export function grantOf(permission: Permission, role: Role): ScopeRule | undefined {
  return (ACCESS[permission].grants as Partial<Record<Role, ScopeRule>>)[role];
}

/**
 * Throws a 403 (audited) unless the user's role holds the permission and its scope rule holds for the
 * target. Without a target (a list or a search) only the role is checked: the query itself keeps to
 * the user's scope.
 */
export async function requireAccess(ctx: AppContext, actor: Actor, permission: Permission, target?: Target): Promise<void> {
  const rule = grantOf(permission, actor.user.role);
  if (rule && (target === undefined || (await holds(ctx, actor, rule, target)))) return;
  target ??= {};
  await writeAudit(ctx.db, actor, [{ action: 'refused', entity: permission, entityId: target.teamId ?? target.institutionId ?? null, personId: null, detail: { personId: target.personId ?? null } }]);
  throw forbidden('Your role or scope does not allow this');
}

/** Whether the user's role holds the permission and its scope rule holds for the target (no refusal, nothing audited): for a use case that skips what is out of scope, as an import does. */
export async function mayAccess(ctx: AppContext, actor: Actor, permission: Permission, target: Target): Promise<boolean> {
  const rule = grantOf(permission, actor.user.role);
  return !!rule && (await holds(ctx, actor, rule, target));
}

async function holds(ctx: AppContext, { user }: Actor, rule: ScopeRule, t: Target): Promise<boolean> {
  switch (rule) {
    case 'everywhere':
      return true;
    case 'own_record':
      return !!user.personId && t.personId === user.personId;
    case 'own_team':
      return !!user.teamId && (t.teamId ?? null) === user.teamId;
    case 'own_institution':
      return !!user.institutionId && (t.institutionId ?? null) === user.institutionId;
    case 'own_provider':
      return !!user.deliveryProviderId && (t.providerId ?? null) === user.deliveryProviderId;
    case 'area': {
      const prefix = user.scope.regionPrefix;
      if (prefix === null) return false;
      const region = t.regionCode ?? (t.personId ? await regionOf(ctx, t.personId) : null);
      return region !== null && region.startsWith(prefix);
    }
    case 'contracted_team':
      return !!user.teamId && !!t.personId && (await contractedWith(ctx, t.personId, user.teamId));
    case 'in_review_here':
      return user.scope.regionPrefix !== null && !!t.personId && (await inReviewUnder(ctx, t.personId, user.scope.regionPrefix));
    case 'referred_here':
      return !!user.institutionId && !!t.personId && (await referredHere(ctx, t.personId, user.institutionId));
    case 'institution_patients':
      return !!user.institutionId && !!t.personId && (await servedBy(ctx, t.personId, user.institutionId));
  }
}

/** The institution serves the person: a contract in force with one of its teams, any referral to or from it, a claim settled there. */
async function servedBy(ctx: AppContext, personId: string, institutionId: string): Promise<boolean> {
  const today = shanghaiDate(ctx.now());
  const { rows } = await sql<{ one: number }>`
    select 1 as one from contract k join family_doctor_team t on t.id = k.team_id
    where k.person_id = ${personId} and t.institution_id = ${institutionId} and k.status = 'active' and k.start_date <= ${today}::date and k.end_date >= ${today}::date
    union all
    select 1 from referral where person_id = ${personId} and (to_institution_id = ${institutionId} or from_institution_id = ${institutionId})
    union all
    select 1 from claim where person_id = ${personId} and institution_id = ${institutionId} and status = 'settled'
    limit 1`.execute(ctx.db);
  return rows.length > 0;
}

async function regionOf(ctx: AppContext, personId: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('person').select('region_code').where('id', '=', personId).executeTakeFirst();
  return row?.region_code ?? null;
}

/** A contract in force today with the team, or a down-referral in force to it (requested or acknowledged, not yet followed up). */
async function contractedWith(ctx: AppContext, personId: string, teamId: string): Promise<boolean> {
  const today = shanghaiDate(ctx.now());
  const { rows } = await sql<{ one: number }>`
    select 1 as one from contract
    where person_id = ${personId} and team_id = ${teamId} and status = 'active' and start_date <= ${today}::date and end_date >= ${today}::date
    union all
    select 1 from referral where person_id = ${personId} and direction = 'down' and to_team_id = ${teamId} and status in ('requested', 'accepted')
    limit 1`.execute(ctx.db);
  return rows.length > 0;
}

/** A referral in force between the person and the hospital: an up-referral to it not yet closed, a down-referral from it not yet followed up (engine/referral IN_FORCE). */
async function referredHere(ctx: AppContext, personId: string, institutionId: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from referral
    where person_id = ${personId} and (
      (direction = 'up' and to_institution_id = ${institutionId} and status in ('requested', 'accepted', 'attended'))
      or (direction = 'down' and from_institution_id = ${institutionId} and status in ('requested', 'accepted')))
    limit 1`.execute(ctx.db);
  return rows.length > 0;
}

async function inReviewUnder(ctx: AppContext, personId: string, prefix: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from registration_filing where person_id = ${personId} and status = 'submitted' and county_code like ${`${prefix}%`} limit 1`.execute(ctx.db);
  return rows.length > 0;
}
