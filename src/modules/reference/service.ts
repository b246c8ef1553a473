// Reference catalogues (regions, diseases, drugs) ship as JSON under data/ so that
// policy people can change them without touching code; this module is the only
// reader and refuses bad data loudly at start-up rather than mis-settling claims later.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// Disease codes are data, not code: a region adds a disease by adding it to diseases.json.
export const diseaseCodeSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case snake_case key');
export type DiseaseCode = z.infer<typeof diseaseCodeSchema>;

// Code length follows the level: GB/T 2260 uses 2/4/6 digits, the statistics bureau 9 for towns.
const CODE_LENGTH = { province: 2, city: 4, county: 6, town: 9 } as const;

export const regionSchema = z
  .object({
    code: z.string().regex(/^\d+$/),
    name: z.string().min(1),
    nameEn: z.string().min(1).optional(),
    level: z.enum(['province', 'city', 'county', 'town']),
    parent: z.string().regex(/^\d+$/).nullable(),
  })
  .refine((r) => r.code.length === CODE_LENGTH[r.level], { path: ['code'], message: 'code length does not match level' })
  .refine((r) => (r.level === 'province') === (r.parent === null) && (r.parent === null || r.code.startsWith(r.parent)), {
    path: ['parent'],
    message: 'parent must be null for a province and a prefix of code otherwise',
  })
  .refine((r) => r.level === 'town' || r.nameEn !== undefined, { path: ['nameEn'], message: 'required above town level' });

// ICD-10 prefix: a category (I10) or a subcategory (Z49.2).
const icd10Prefix = z.string().regex(/^[A-Z]\d\d(\.\d{1,2})?$/);

export const diseaseSchema = z.object({
  code: diseaseCodeSchema,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  icd10: z.array(icd10Prefix).min(1),
  group: z.enum(['two_disease', 'chronic']),
});

// A drug list (药品目录) that a policy's benefit names by id (`drug_list: chronic-common`) and a drug is on
// or not; the ids are declared in data/drugs.json beside the drugs.
export const drugListIdSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a lower-case hyphenated key');
export const drugListSchema = z.object({ id: drugListIdSchema, nameZh: z.string().min(1), nameEn: z.string().min(1) });

/** The list every chronic-disease drug is on: 浙江省医保慢性病常用药范围. */
export const CHRONIC_COMMON_LIST = 'chronic-common';
/** The National Reimbursement Drug List: every reimbursable drug; one on no list is self-paid. */
export const NRDL_LIST = 'nrdl';

// WHO ATC, 5th level: anatomical main group (one of the 14), two digits, two letters, two digits.
export const atcSchema = z.string().regex(/^[ABCDGHJLMNPRSV]\d\d[A-Z][A-Z]\d\d$/, 'a 7-character WHO ATC code (e.g. C08CA01)');

// A therapeutic class (药理分类) for duplicate-therapy checks (重复用药, the pharmacist's pre-check): it gathers WHO ATC
// level-4 groups (C09CA), or single level-5 codes (C09BB04) where a level-4 group mixes classes.
export const drugClassIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case snake_case key');
export const atcGroupSchema = z
  .string()
  .regex(/^[ABCDGHJLMNPRSV]\d\d[A-Z][A-Z](\d\d)?$/, 'a WHO ATC level-4 group (5 characters, e.g. C09CA) or level-5 code (7, e.g. C09BB04)');
export const drugClassSchema = z.strictObject({
  id: drugClassIdSchema,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  atc: z.array(atcGroupSchema).min(1).refine((a) => new Set(a).size === a.length, 'an ATC group is named twice'),
});

/** At most 4 decimals (ten-thousandths of a unit), the precision the daily-dose check compares in. */
const tenThousandths = (x: number) => Math.abs(Math.round(x * 10000) - x * 10000) < 1e-6;

export const drugSchema = z
  .strictObject({
    code: z.string().regex(/^D\d{4}$/),
    genericNameZh: z.string().min(1),
    genericNameEn: z.string().min(1),
    form: z.string().min(1),
    strength: z.string().min(1),
    packSize: z.number().int().positive(),
    unit: z.string().min(1),
    atc: atcSchema,
    // the therapeutic classes of data/drugs.json `classes` whose ATC groups hold this drug's code (a combination: each component's)
    classes: z.array(drugClassIdSchema).min(1).refine((a) => new Set(a).size === a.length, 'a class is named twice'),
    // the registry diseases it is prescribed for; none for a general-outpatient drug
    diseases: z.array(diseaseCodeSchema).refine((a) => new Set(a).size === a.length, 'a disease is named twice'),
    vbp: z.boolean(),
    priceFen: z.number().int().positive(), // money is integer fen everywhere
    dailyUnits: z.number().positive(), // fractional for pens (a 300 IU pen at 20 IU/day)
    // the labelling's maximum daily dose in `unit` (fractional for pens, a seventh of the weekly maximum for weekly drugs)
    maxDailyUnits: z.number().positive().refine(tenThousandths, 'at most 4 decimals'),
    // the drug lists it is on; none when self-paid
    lists: z.array(drugListIdSchema).refine((a) => new Set(a).size === a.length, 'a list is named twice'),
  })
  .refine((d) => d.maxDailyUnits >= d.dailyUnits, { path: ['maxDailyUnits'], message: 'below the usual daily dose (dailyUnits)' });

export const servicePackageSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  kind: z.enum(['basic', 'chronic']),
  diseases: z.array(diseaseCodeSchema),
  annualFeeFen: z.number().int().nonnegative(),
  items: z.array(z.string().min(1)).min(1),
});

export type Region = z.infer<typeof regionSchema>;
export type ServicePackage = z.infer<typeof servicePackageSchema>;
export type Disease = z.infer<typeof diseaseSchema>;
export type Drug = z.infer<typeof drugSchema>;
export type DrugList = z.infer<typeof drugListSchema>;
export type DrugClass = z.infer<typeof drugClassSchema>;

/** Unique-code check shared by all three files; duplicates would make lookups ambiguous. */
const uniqueCodes = (items: { code: string }[], ctx: z.RefinementCtx, key: string) => {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.code)) ctx.addIssue({ code: 'custom', path: [key, i, 'code'], message: `duplicate code ${it.code}` });
    seen.add(it.code);
  });
};

export const regionsFileSchema = z
  .object({ source: z.string().min(1), regions: z.array(regionSchema) })
  .superRefine((f, ctx) => {
    uniqueCodes(f.regions, ctx, 'regions');
    const codes = new Set(f.regions.map((r) => r.code));
    f.regions.forEach((r, i) => {
      if (r.parent !== null && !codes.has(r.parent))
        ctx.addIssue({ code: 'custom', path: ['regions', i, 'parent'], message: `unknown parent ${r.parent}` });
    });
  });
export const diseasesFileSchema = z
  .object({ source: z.string().min(1), diseases: z.array(diseaseSchema).min(1) })
  .superRefine((f, ctx) => uniqueCodes(f.diseases, ctx, 'diseases'));
/** The ids of the classes whose ATC groups (level 4 or 5) hold an ATC code, in the order the classes are declared. */
export function classesForAtc(atc: string, classes: DrugClass[]): string[] {
  return classes.filter((c) => c.atc.some((g) => atc.startsWith(g))).map((c) => c.id);
}

export const drugsFileSchema = z
  .strictObject({ source: z.string().min(1), lists: z.array(drugListSchema).min(1), classes: z.array(drugClassSchema).min(1), drugs: z.array(drugSchema).min(1) })
  .superRefine((f, ctx) => {
    uniqueCodes(f.drugs, ctx, 'drugs');
    const ids = new Set<string>();
    f.lists.forEach((l, i) => {
      if (ids.has(l.id)) ctx.addIssue({ code: 'custom', path: ['lists', i, 'id'], message: `duplicate list ${l.id}` });
      ids.add(l.id);
    });
    for (const required of [CHRONIC_COMMON_LIST, NRDL_LIST])
      if (!ids.has(required)) ctx.addIssue({ code: 'custom', path: ['lists'], message: `the ${required} list must be declared` });
    const classIds = new Set<string>();
    f.classes.forEach((c, i) => {
      if (classIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `duplicate class ${c.id}` });
      classIds.add(c.id);
    });
    f.drugs.forEach((d, i) => {
      d.classes.forEach((c, j) => {
        if (!classIds.has(c)) ctx.addIssue({ code: 'custom', path: ['drugs', i, 'classes', j], message: `unknown class ${c} (not in classes)` });
      });
      // the classes follow from the ATC code, so that a new drug cannot silently escape the duplicate-therapy check
      const expected = classesForAtc(d.atc, f.classes);
      const missing = expected.filter((c) => !d.classes.includes(c));
      const extra = d.classes.filter((c) => classIds.has(c) && !expected.includes(c));
      if (missing.length)
        ctx.addIssue({ code: 'custom', path: ['drugs', i, 'classes'], message: `${d.atc} is in the ATC groups of ${missing.join(', ')}: add them` });
      if (extra.length)
        ctx.addIssue({ code: 'custom', path: ['drugs', i, 'classes'], message: `${d.atc} is in none of the ATC groups of ${extra.join(', ')}` });
      d.lists.forEach((l, j) => {
        if (!ids.has(l)) ctx.addIssue({ code: 'custom', path: ['drugs', i, 'lists', j], message: `unknown list ${l} (not in lists)` });
      });
      // a drug for a registry disease is what the chronic-disease benefit pays for: it must be on its list
      if (d.diseases.length > 0 && !d.lists.includes(CHRONIC_COMMON_LIST))
        ctx.addIssue({ code: 'custom', path: ['drugs', i, 'lists'], message: `a drug for ${d.diseases.join(', ')} must be on ${CHRONIC_COMMON_LIST}` });
      // the provincial list is drawn from the national one
      if (d.lists.includes(CHRONIC_COMMON_LIST) && !d.lists.includes(NRDL_LIST))
        ctx.addIssue({ code: 'custom', path: ['drugs', i, 'lists'], message: `a drug on ${CHRONIC_COMMON_LIST} must be on ${NRDL_LIST}` });
    });
  });

export const servicePackagesFileSchema = z
  .object({ source: z.string().min(1), packages: z.array(servicePackageSchema).min(1) })
  .superRefine((f, ctx) => uniqueCodes(f.packages, ctx, 'packages'));

/** Validate parsed JSON; the error names the file and the field path of every problem. */
export function validateCatalogue<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${file}: invalid catalogue data\n  ${problems.join('\n  ')}`);
}

function readCatalogue<T>(name: string, schema: z.ZodType<T>): T {
  const url = new URL(`../../../data/${name}`, import.meta.url);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(url, 'utf8'));
  } catch (e) {
    throw new Error(`data/${name}: cannot read or parse: ${(e as Error).message}`);
  }
  return validateCatalogue(`data/${name}`, schema, data);
}

// Read once per process: the files are shipped with the code and do not change at run time.
let regions: Region[] | undefined;
let diseases: Disease[] | undefined;
let drugs: Drug[] | undefined;
let drugLists: DrugList[] | undefined;
let drugClasses: DrugClass[] | undefined;
let servicePackages: ServicePackage[] | undefined;

export const loadRegions = (): Region[] => (regions ??= readCatalogue('regions.json', regionsFileSchema).regions);
export const loadDiseases = (): Disease[] => (diseases ??= readCatalogue('diseases.json', diseasesFileSchema).diseases);
export const loadServicePackages = (): ServicePackage[] =>
  (servicePackages ??= readCatalogue('service-packages.json', servicePackagesFileSchema).packages);
function loadDrugsFile() {
  const file = readCatalogue('drugs.json', drugsFileSchema);
  drugs = checkDrugDiseases(file.drugs, loadDiseases());
  drugLists = file.lists;
  drugClasses = file.classes;
}
/** The whole catalogue: chronic-disease, general-outpatient and self-paid drugs, each with its lists. */
export const loadDrugs = (): Drug[] => {
  if (!drugs) loadDrugsFile();
  return drugs!;
};
/** The drug lists data/drugs.json declares (chronic-common, nrdl, tertiary), with their names. */
export const loadDrugLists = (): DrugList[] => {
  if (!drugLists) loadDrugsFile();
  return drugLists!;
};

/** The therapeutic classes data/drugs.json declares (arb, acei, ccb_dhp, …) with their ATC groups, for duplicate-therapy checks. */
export const loadDrugClasses = (): DrugClass[] => {
  if (!drugClasses) loadDrugsFile();
  return drugClasses!;
};

/** Every disease a drug treats must be in the disease catalogue: the two files must agree. */
export function checkDrugDiseases(list: Drug[], known: Disease[]): Drug[] {
  const codes = new Set(known.map((d) => d.code));
  const problems = list.flatMap((drug, i) =>
    drug.diseases.filter((d) => !codes.has(d)).map((d) => `drugs.${i}.diseases: unknown disease ${d} (not in data/diseases.json)`),
  );
  if (problems.length) throw new Error(`data/drugs.json: invalid catalogue data\n  ${problems.join('\n  ')}`);
  return list;
}

// Chinese claim data writes ICD-10 with or without the dot and with extension digits
// (医保版 "E11.900"), so compare without dots, upper-cased.
const normIcd = (code: string) => code.trim().toUpperCase().replace(/\./g, '');

/**
 * The disease whose ICD-10 prefix matches the code; the longest matching prefix wins
 * so that a subcategory (Z49.2) is preferred over a broader category if both exist.
 */
export function diseaseForIcd10(code: string, list: Disease[] = loadDiseases()): Disease | undefined {
  const c = normIcd(code);
  if (!/^[A-Z]\d\d/.test(c)) return undefined;
  let best: { d: Disease; len: number } | undefined;
  for (const d of list)
    for (const p of d.icd10.map(normIcd))
      if (c.startsWith(p) && (!best || p.length > best.len)) best = { d, len: p.length };
  return best?.d;
}
