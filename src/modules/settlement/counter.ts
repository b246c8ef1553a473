// Building a counter claim from the system's own records: the person's eligibility on the service
// date decides, line by line, whether a drug is in the two-disease scope; the region's policy in
// force settles it. Shared by quote (试算) and settle (结算).
import { addDays, shanghaiDate } from '../../engine/calendar';
import type { Claim } from '../../engine/settlement';
import type { AppContext } from '../../server/context';
import { badRequest, conflict, forbidden, notFound } from '../../server/problem';
import type { AuthUser } from '../auth/user';
import { eligibilityOf } from '../eligibility/service';
import * as people from '../people/queries';
import { scopeOf } from '../people/service';
import { type Drug, loadDrugs } from '../reference/catalogue';

let drugs: Map<string, Drug> | undefined;
const drugCatalogue = () => (drugs ??= new Map(loadDrugs().map((d) => [d.code, d])));

export interface CounterLineInput {
  drugCode: string;
  quantity: number;
  daysSupply?: number;
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

export const SETTLING_ROLES = ['pharmacist', 'family_doctor'] as const;

/**
 * Reads what the claim needs (in parallel, before any lock is taken) and builds the engine's claim.
 * The drug list comes from the shipped catalogue, which start-up copies into the database.
 */
export async function prepareClaim(ctx: AppContext, user: AuthUser, input: CounterClaimInput, claimId: string) {
  const db = ctx.db;
  if (!user.institutionId) throw forbidden('Settlement happens at an institution or pharmacy counter');
  const today = shanghaiDate(ctx.now());
  const date = input.serviceDate ?? today;
  if (date > today) throw badRequest('The service date cannot be in the future', [{ field: 'body.serviceDate', rule: 'not_in_future', message: `on or before ${today}` }]);
  if (date < addDays(today, -30)) throw badRequest('Claims older than 30 days are settled by the agency, not at the counter', [{ field: 'body.serviceDate', rule: 'within_30_days', message: `on or after ${addDays(today, -30)}` }]);

  const byCode = drugCatalogue();
  const unknown = input.lines.flatMap((l, i) => (byCode.has(l.drugCode) ? [] : [{ field: `body.lines.${i}.drugCode`, rule: 'on_drug_list', message: `${l.drugCode} is not on the drug list` }]));
  if (unknown.length) throw badRequest(unknown.map((u) => u.message).join('; '), unknown);

  const [person, institution, eligibility] = await Promise.all([
    people.findPerson(db, scopeOf(user), input.personId),
    db.selectFrom('institution').select(['id', 'name', 'level', 'designated']).where('id', '=', user.institutionId).executeTakeFirstOrThrow(),
    eligibilityOf(db, input.personId, date).catch(() => null), // a person outside scope is refused just below
  ]);
  if (!person || !eligibility) throw (await people.personExists(db, input.personId)) ? forbidden('This person is outside your scope') : notFound('No such person');
  if (!institution.designated) throw conflict('institution_not_designated', `${institution.name} is not designated (定点) for insurance settlement`);
  const entry = ctx.policies.forRegion(person.region_code, date);
  if (!entry) throw conflict('no_policy', `No benefit policy is in force for region ${person.region_code} on ${date}`);

  const registered = new Set(eligibility.registrations.map((r) => r.disease));
  const personReason = !eligibility.insured.onDate ? 'not_insured' : !eligibility.contract ? 'no_contract' : null;
  const lines = input.lines.map((l, i) => {
    const drug = byCode.get(l.drugCode)!;
    const disease = drug.diseases.find((d) => registered.has(d)) ?? null;
    const scopeReason = personReason ?? (disease ? 'registered_disease' : 'not_registered');
    // days of supply: as prescribed, else what the packs last at the usual daily dose
    const daysSupply = l.daysSupply ?? Math.max(1, Math.floor((l.quantity * drug.packSize) / drug.dailyUnits));
    return { lineNo: i + 1, drug, quantity: l.quantity, amountFen: l.quantity * drug.priceFen, daysSupply, disease, scope: scopeReason === 'registered_disease' ? ('two_disease' as const) : ('general' as const), scopeReason };
  });
  const claim: Claim = {
    claimId,
    serviceDate: date,
    insuranceType: person.insurance_type,
    institutionLevel: institution.level,
    scope: 'two_disease',
    lines: lines.map((l) => ({ amountFen: l.amountFen, scope: l.scope, disease: l.disease ?? undefined, daysSupply: l.daysSupply, lineId: String(l.lineNo) })),
  };
  return { person, institution, entry, claim, lines, eligibility };
}
