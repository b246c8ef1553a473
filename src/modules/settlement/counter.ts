// Building a counter claim from the system's own records: the person's eligibility on the service
// date decides, line by line, whether a drug is in the two-disease scope; the region's policy in
// force settles it. Shared by quote (试算) and settle (结算).
import { addDays, shanghaiDate } from '../../engine/calendar';
import { sql } from 'kysely';
import { priceAt, type Claim, type PersonYearState } from '../../engine/settlement';
import type { InstitutionLevel } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { type EligibilityFacts, eligibilityFactColumns, eligibilityFrom } from '../eligibility/service';
import { type Actor } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { type Drug, loadDrugs } from '../reference/service';

let drugs: Map<string, Drug> | undefined;
const drugCatalogue = () => (drugs ??= new Map(loadDrugs().map((d) => [d.code, d])));

type CounterFacts = EligibilityFacts & {
  id: string; name: string; id_number: string; region_code: string;
  pools: PersonYearState['pools']; version: number; last_service_date: string | null;
  institution: { id: string; code: string; name: string; level: InstitutionLevel; designated: boolean };
};

export interface CounterLineInput {
  drugCode: string;
  quantity: number;
  daysSupply?: number;
  /** 延伸处方: a drug of a tertiary hospital's prescription continued at the community (the policy decides whether it pays). */
  extended?: boolean;
}

export interface CounterClaimInput {
  personId: string;
  serviceDate?: string;
  lines: CounterLineInput[];
}

/** Why a line is (not) in the two-disease scope, decided from the records. */
export const SCOPE_REASON_TEXT: Record<string, string> = {
  registered_disease: '已认定登记病种用药',
  not_insured: '服务日期不在参保期内，按普通门诊',
  no_contract: '无有效家庭医生签约，按普通门诊',
  not_registered: '药品所治病种未认定登记或未确认，按普通门诊',
};

/**
 * Reads what the claim needs (in one query, before any lock is taken) and builds the engine's claim.
 * The drug list comes from the shipped catalogue, which start-up copies into the database.
 */
export async function prepareClaim(ctx: AppContext, actor: Actor, input: CounterClaimInput, claimId: string) {
  const db = ctx.db;
  const user = actor.user;
  await requireAccess(ctx, actor, 'claim.settle');
  if (!user.institutionId) throw forbidden('Settlement happens at an institution or pharmacy counter');
  const today = shanghaiDate(ctx.now());
  const date = input.serviceDate ?? today;
  if (date > today) throw badRequest('The service date cannot be in the future', [{ field: 'body.serviceDate', rule: 'not_in_future', message: `on or before ${today}` }]);
  if (date < addDays(today, -30)) throw badRequest('Claims older than 30 days are settled by the agency, not at the counter', [{ field: 'body.serviceDate', rule: 'within_30_days', message: `on or after ${addDays(today, -30)}` }]);

  const byCode = drugCatalogue();
  const unknown = input.lines.flatMap((l, i) => (byCode.has(l.drugCode) ? [] : [{ field: `body.lines.${i}.drugCode`, rule: 'on_drug_list', message: `${l.drugCode} is not on the drug list` }]));
  if (unknown.length) throw badRequest(unknown.map((u) => u.message).join('; '), unknown);

  const year = Number(date.slice(0, 4));
  // one round trip: the person, their eligibility facts, this year's accumulator and the counter's institution
  const { rows } = await sql<CounterFacts>`
    select p.id, p.name, p.id_number, p.region_code, ${eligibilityFactColumns(date, { prescription: false })},
      coalesce(a.pools, '{}') as pools, coalesce(a.version, 0) as version, a.last_service_date::text as last_service_date,
      (select json_build_object('id', i.id, 'code', i.code, 'name', i.name, 'level', i.level, 'designated', i.designated) from institution i where i.id = ${user.institutionId}) as institution
    from person p left join benefit_accumulator a on a.person_id = p.id and a.year = ${year}
    where p.id = ${input.personId}`.execute(db);
  const person = rows[0];
  if (!person) {
    await requireAccess(ctx, actor, 'claim.settle', { personId: input.personId }); // refused alike, whether or not the person exists
    throw notFound('No such person');
  }
  await requireAccess(ctx, actor, 'claim.settle', { personId: person.id, regionCode: person.region_code });
  const { institution } = person;
  const entry = ctx.policies.forRegion(person.region_code, date);
  if (!entry) throw conflict('no_policy', `No benefit policy is in force for region ${person.region_code} on ${date}`);
  const scheme = entry.policy.schemes[person.insurance_type];
  const eligibility = eligibilityFrom(person, input.personId, date, scheme?.benefits.two_disease.diseases);
  const accumulator = { state: { year, pools: person.pools }, version: person.version, lastServiceDate: person.last_service_date };
  if (!institution.designated) throw conflict('institution_not_designated', `${institution.name} is not designated (定点) for insurance settlement`);

  // a registration in force for a disease of a specified-disease benefit (规定病) makes its drugs that benefit's
  const specified = new Set(Object.values(scheme?.benefits.specified ?? {}).flatMap((b) => b.diseases));
  const registered = new Set(eligibility.registrations.map((r) => r.disease));
  const personReason = !eligibility.insured.onDate ? 'not_insured' : !eligibility.contract ? 'no_contract' : null;
  const lines = input.lines.map((l, i) => {
    const drug = byCode.get(l.drugCode)!;
    const disease = drug.diseases.find((d) => registered.has(d)) ?? null;
    const scopeReason = personReason ?? (disease ? 'registered_disease' : 'not_registered');
    const scope = scopeReason !== 'registered_disease' ? ('general' as const) : specified.has(disease!) && !scheme!.benefits.two_disease.diseases.includes(disease!) ? ('specified_disease' as const) : ('two_disease' as const);
    // days of supply: as prescribed, else what the packs last at the usual daily dose
    const daysSupply = l.daysSupply ?? Math.max(1, Math.floor((l.quantity * drug.packSize) / drug.dailyUnits));
    // the price the level charges (Shenzhen Luohu: a community centre's drugs at 70 % of the catalogue price)
    const unitPriceFen = priceAt(entry.policy, institution.level, 'drugs', drug.priceFen);
    return { lineNo: i + 1, drug, quantity: l.quantity, unitPriceFen, amountFen: l.quantity * unitPriceFen, daysSupply, disease, scope, scopeReason, extended: l.extended === true };
  });
  // the institution the patient chose is the one of their contracted team (a benefit may pay only there)
  const contracted = person.contracts.find((c) => c.id === eligibility.contract?.id);
  const claim: Claim = {
    claimId,
    serviceDate: date,
    insuranceType: person.insurance_type,
    institutionLevel: institution.level,
    scope: 'two_disease',
    atChosenInstitution: contracted?.institution_id === institution.id,
    lines: lines.map((l) => ({ amountFen: l.amountFen, scope: l.scope, disease: l.disease ?? undefined, daysSupply: l.daysSupply, lists: l.drug.lists, lineId: String(l.lineNo), ...(l.extended ? { extended: true } : {}) })),
  };
  return { person, institution, entry, claim, lines, eligibility, accumulator };
}
