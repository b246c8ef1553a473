// Checks a filing against the person's current state before it is written: the rules of the
// filing kind, one open filing per disease, diagnosis bases, and a prescription that fits.
import { basisProblems, type DiagnosisBasis } from '../../engine/registration/diagnosisBasis';
import type { Database } from '../../db/connect';
import type { ChangeReason, FilingKind } from '../../db/schema';
import { badRequest, conflict, type FieldProblem } from '../../core/problem';
import type { BenefitRules } from '../../core/policyBook';
import * as q from './queries';

export interface FilingDiseaseInput {
  code: string;
  action: 'add' | 'keep' | 'remove';
  diagnosedOn?: string;
  basis?: DiagnosisBasis;
}

export interface PrescriptionLineInput {
  drugCode: string;
  dose: string;
  frequency: 'qd' | 'bid' | 'tid' | 'qid' | 'qn' | 'qw';
  daysSupply: number;
  dispensing: 'own' | 'external';
  pharmacyId?: string | null;
}

export interface FilingContent {
  kind: FilingKind;
  changeReason?: ChangeReason | null;
  diseases: FilingDiseaseInput[];
  prescription?: PrescriptionLineInput[] | null;
}

/** What each kind (and change reason) asks of the disease list. */
const EXPECTED_ACTION: Record<string, 'add' | 'keep' | 'remove' | 'none'> = {
  initial: 'add',
  new_disease: 'add',
  recovery: 'remove',
  progression: 'keep',
  medication_change: 'none',
  revocation: 'none',
};

/**
 * Returns the disease rows to hold for this filing: the listed ones, or for a medication change and a
 * revocation every registered disease, so no other filing can touch them while this one is open.
 */
export async function checkFiling(db: Database, personId: string, countyCode: string, content: FilingContent, today: string, rules: BenefitRules, ownFilingId?: string) {
  const registered = new Map((await q.openRegistrations(db, personId)).map((r) => [r.disease_code, r]));
  const expected = EXPECTED_ACTION[content.kind === 'change' ? content.changeReason! : content.kind];
  const problems: FieldProblem[] = [];
  const field = (i: number, rest = '') => `body.diseases.${i}${rest}`;

  if (expected !== 'none' && content.diseases.length === 0) problems.push({ field: 'body.diseases', rule: 'at_least_one', message: 'name at least one disease' });
  if (expected === 'none' && content.diseases.length > 0) problems.push({ field: 'body.diseases', rule: 'none_expected', message: `a ${content.changeReason ?? content.kind} filing lists no diseases` });
  if (content.kind === 'change' && registered.size === 0) throw conflict('change_needs_registration', 'A change registration needs a confirmed registration to change');
  if (content.kind === 'revocation' && registered.size === 0) throw conflict('revoke_needs_registration', 'There is no confirmed registration to revoke');

  const known = new Set((await q.knownDiseases(db)).map((d) => d.code));
  const seen = new Set<string>();
  content.diseases.forEach((d, i) => {
    if (!known.has(d.code)) problems.push({ field: field(i, '.code'), rule: 'known_disease', message: `unknown disease ${d.code}` });
    else if (d.action === 'add' && !rules.diseases.includes(d.code))
      problems.push({ field: field(i, '.code'), rule: 'benefit_disease', message: `${d.code} is not a disease of the benefit under ${rules.policyId}` });
    if (seen.has(d.code)) problems.push({ field: field(i, '.code'), rule: 'unique', message: `${d.code} is listed twice` });
    seen.add(d.code);
    if (d.action !== expected) problems.push({ field: field(i, '.action'), rule: 'action_fits_kind', message: `expected action ${expected}` });
    if (d.action === 'add' || d.action === 'keep') {
      if (d.action === 'add' && (!d.basis || !d.diagnosedOn)) problems.push({ field: field(i), rule: 'basis_required', message: 'an added disease needs its diagnosis date and basis' });
      if (d.basis && d.diagnosedOn)
        for (const p of basisProblems(d.code, d.basis, d.diagnosedOn, today)) problems.push({ field: field(i, `.${p.path}`), rule: p.rule, message: p.message });
      if (d.action === 'keep' && !d.basis) problems.push({ field: field(i, '.basis'), rule: 'basis_required', message: 'a progression needs the new diagnosis basis' });
    }
  });
  const held: Array<{ code: string; action: 'add' | 'keep' | 'remove'; diagnosedOn: string | null; basis: DiagnosisBasis | null }> =
    expected === 'none'
      ? [...registered.keys()].map((code) => ({ code, action: content.kind === 'revocation' ? 'remove' : 'keep', diagnosedOn: null, basis: null }))
      : content.diseases.map((d) => ({ code: d.code, action: d.action, diagnosedOn: d.diagnosedOn ?? null, basis: d.basis ?? null }));
  // the diseases in force once approved decide which drugs fit
  const after = new Set(registered.keys());
  for (const h of held) (h.action === 'remove' ? after.delete(h.code) : after.add(h.code));
  problems.push(...(await prescriptionProblems(db, countyCode, content, after, rules)));
  if (problems.length) throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);

  // state rules: 409 names them
  for (const d of content.diseases) {
    if (d.action === 'add' && registered.has(d.code)) throw conflict('already_registered', `${d.code} is already registered and confirmed`);
    if (d.action !== 'add' && !registered.has(d.code)) throw conflict('not_registered', `${d.code} is not a confirmed registration`);
  }
  const open = (await q.openFilingDiseases(db, personId)).filter((o) => o.filing_id !== ownFilingId);
  const clash = open.find((o) => held.some((h) => h.code === o.disease_code));
  if (clash) throw conflict('open_filing_exists', `A filing for ${clash.disease_code} is already open (${clash.status}); fix, withdraw or wait for it`);
  return held;
}

async function prescriptionProblems(db: Database, countyCode: string, content: FilingContent, diseasesAfter: Set<string>, rules: BenefitRules): Promise<FieldProblem[]> {
  const lines = content.prescription ?? [];
  const needsLines = content.kind === 'initial' || content.changeReason === 'medication_change';
  const problems: FieldProblem[] = [];
  if (needsLines && lines.length === 0) problems.push({ field: 'body.prescription', rule: 'at_least_one', message: 'the continuous prescription needs at least one drug' });
  if (content.kind === 'revocation' && lines.length) problems.push({ field: 'body.prescription', rule: 'none_expected', message: 'a revocation ends the prescription' });
  const drugs = new Map((await q.drugsByCode(db, lines.map((l) => l.drugCode))).map((d) => [d.code, d]));
  const pharmacies = new Map((await q.institutionsById(db, lines.flatMap((l) => (l.pharmacyId ? [l.pharmacyId] : [])))).map((i) => [i.id, i]));
  lines.forEach((l, i) => {
    const at = (f: string) => `body.prescription.${i}.${f}`;
    const drug = drugs.get(l.drugCode);
    if (!drug) problems.push({ field: at('drugCode'), rule: 'on_drug_list', message: `${l.drugCode} is not on the chronic-disease drug list` });
    else if (!drug.diseases.some((d) => diseasesAfter.has(d))) problems.push({ field: at('drugCode'), rule: 'treats_registered_disease', message: `${drug.generic_name_zh} does not treat a registered disease` });
    // the policy in force sets the longest supply (Zhenjiang 60 days, Jiaxing 84; 12 weeks is the national ceiling)
    if (l.daysSupply > rules.maxDaysSupply) problems.push({ field: at('daysSupply'), rule: 'max_days_supply', message: `at most ${rules.maxDaysSupply} days per prescription under ${rules.policyId}` });
    if (l.dispensing === 'external') {
      const ph = l.pharmacyId ? pharmacies.get(l.pharmacyId) : undefined;
      if (!ph) problems.push({ field: at('pharmacyId'), rule: 'pharmacy_required', message: 'external dispensing (外配) names a chain pharmacy' });
      else if (ph.kind !== 'pharmacy' || !ph.designated || ph.county_code !== countyCode)
        problems.push({ field: at('pharmacyId'), rule: 'designated_pharmacy_in_county', message: 'the pharmacy must be a designated chain pharmacy in the patient’s county' });
    } else if (l.pharmacyId) problems.push({ field: at('pharmacyId'), rule: 'own_has_no_pharmacy', message: 'dispensing at the own institution names no pharmacy' });
  });
  return problems;
}
