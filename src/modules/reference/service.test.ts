import { describe, it, expect } from 'vitest';
import {
  checkDrugDiseases,
  diseaseForIcd10,
  drugsFileSchema,
  loadDiseases,
  loadDrugClasses,
  loadDrugLists,
  loadDrugs,
  loadRegions,
  regionsFileSchema,
  validateCatalogue,
} from './service';

describe('regions.json', () => {
  const regions = loadRegions();
  const children = (code: string) => regions.filter((r) => r.parent === code);

  it('has Zhejiang, Jiaxing and exactly the seven real Jiaxing counties', () => {
    expect(regions.find((r) => r.code === '33')?.name).toBe('浙江省');
    expect(regions.find((r) => r.code === '3304')).toMatchObject({ name: '嘉兴市', level: 'city', parent: '33' });
    const counties = children('3304');
    expect(counties.map((c) => `${c.code} ${c.name}`)).toEqual([
      '330402 南湖区',
      '330411 秀洲区',
      '330421 嘉善县',
      '330424 海盐县',
      '330481 海宁市',
      '330482 平湖市',
      '330483 桐乡市',
    ]);
    for (const c of counties) {
      expect(c.level).toBe('county');
      expect(children(c.code).length, c.name).toBeGreaterThan(0);
      expect(children(c.code).every((t) => t.level === 'town' && t.code.length === 9)).toBe(true);
    }
  });

  it('has Zhenjiang in Jiangsu with its counties (Shiye town of seed 001 included)', () => {
    expect(regions.find((r) => r.code === '3211')).toMatchObject({ name: '镇江市', parent: '32' });
    expect(children('3211').map((c) => c.name)).toEqual(expect.arrayContaining(['京口区', '润州区', '丹徒区', '丹阳市', '扬中市', '句容市']));
    expect(regions.find((r) => r.name === '世业镇')?.parent).toBe('321112');
  });

  it('rejects bad data naming the file and field', () => {
    const bad = { source: 'x', regions: [{ code: '3304', name: '嘉兴市', nameEn: 'Jiaxing', level: 'city', parent: '99' }] };
    expect(() => validateCatalogue('data/regions.json', regionsFileSchema, bad)).toThrow(/data\/regions\.json[\s\S]*regions\.0\.parent/);
  });
});

describe('diseases.json', () => {
  const diseases = loadDiseases();

  it('has the two diseases and the 11 Jiaxing chronic diseases', () => {
    expect(diseases.filter((d) => d.group === 'two_disease').map((d) => d.code).sort()).toEqual(['diabetes', 'hypertension']);
    expect(diseases.filter((d) => d.group === 'chronic')).toHaveLength(11);
  });

  it('maps ICD-10 codes to diseases by prefix', () => {
    expect(diseaseForIcd10('I10')?.code).toBe('hypertension');
    expect(diseaseForIcd10('I15.0')?.code).toBe('hypertension');
    expect(diseaseForIcd10('E11.9')?.code).toBe('diabetes');
    expect(diseaseForIcd10('e11.900')?.code).toBe('diabetes'); // 医保版 extension digits, lower case
    expect(diseaseForIcd10('E149')?.code).toBe('diabetes'); // dot omitted
    // Angina (I20) is coronary atherosclerotic heart disease, one of Jiaxing's 11 — not hypertension.
    expect(diseaseForIcd10('I20.0')?.code).toBe('coronary_heart_disease');
    expect(diseaseForIcd10('I21')).toBeUndefined(); // acute MI is not a chronic outpatient disease
    expect(diseaseForIcd10('I14')).toBeUndefined(); // no such category
    expect(diseaseForIcd10('Z49.2')?.code).toBe('peritoneal_dialysis');
    expect(diseaseForIcd10('Z49.1')).toBeUndefined(); // haemodialysis is not in the list
    expect(diseaseForIcd10('')).toBeUndefined();
  });
});

describe('drugs.json', () => {
  const drugs = loadDrugs();
  const diseases = loadDiseases();
  const twoDisease = drugs.filter((d) => d.diseases.some((c) => c === 'hypertension' || c === 'diabetes'));
  const general = drugs.filter((d) => d.diseases.length === 0);
  const lists = loadDrugLists();

  it('has unique codes, well-formed ATC codes and list ids the file declares', () => {
    expect(drugs.length).toBeGreaterThanOrEqual(140);
    expect(new Set(drugs.map((d) => d.code)).size).toBe(drugs.length);
    expect(loadDrugLists().map((l) => l.id)).toEqual(['chronic-common', 'nrdl', 'tertiary']);
    const known = new Set(loadDrugLists().map((l) => l.id));
    for (const d of drugs) {
      expect(d.atc, d.genericNameZh).toMatch(/^[ABCDGHJLMNPRSV]\d\d[A-Z][A-Z]\d\d$/);
      expect(d.lists.every((l) => known.has(l)), d.genericNameZh).toBe(true);
    }
  });

  it('keeps the two-disease drugs: antihypertensives (C) and antidiabetics (A10), each for one of the two only', () => {
    expect(twoDisease.map((d) => d.code)).toEqual(drugs.slice(0, 61).map((d) => d.code)); // D0001–D0061, in order
    for (const d of twoDisease) {
      expect(d.diseases.every((c) => c === 'hypertension' || c === 'diabetes'), d.genericNameZh).toBe(true);
      if (d.diseases.includes('hypertension')) expect(d.atc, d.genericNameZh).toMatch(/^C/);
      if (d.diseases.includes('diabetes')) expect(d.atc, d.genericNameZh).toMatch(/^A10/);
    }
    expect(drugs.filter((d) => d.diseases.includes('hypertension')).length).toBeGreaterThanOrEqual(20);
    expect(drugs.filter((d) => d.diseases.includes('diabetes')).length).toBeGreaterThanOrEqual(20);
  });

  it("has at least two drugs for each of Jiaxing's 11 chronic diseases, with fitting ATC groups", () => {
    const chronic = diseases.filter((d) => d.group === 'chronic');
    expect(chronic).toHaveLength(11);
    for (const disease of chronic) expect(drugs.filter((d) => d.diseases.includes(disease.code)).length, disease.code).toBeGreaterThanOrEqual(2);
    const atcOf = (code: string) => drugs.filter((d) => d.diseases.includes(code)).map((d) => d.atc);
    expect(atcOf('alzheimers_disease').every((a) => a.startsWith('N06D'))).toBe(true); // anti-dementia drugs
    expect(atcOf('parkinsons_disease').every((a) => a.startsWith('N04'))).toBe(true);
    expect(atcOf('pulmonary_tuberculosis').every((a) => a.startsWith('J04'))).toBe(true);
    expect(atcOf('copd').every((a) => a.startsWith('R0'))).toBe(true);
    expect(atcOf('bronchial_asthma').every((a) => a.startsWith('R03'))).toBe(true);
    expect(atcOf('schizophrenia').every((a) => a.startsWith('N05A') || a.startsWith('N03AG'))).toBe(true);
    expect(drugs.find((d) => d.genericNameZh === '盐酸多奈哌齐片')).toMatchObject({ atc: 'N06DA02', diseases: ['alzheimers_disease'] });
    expect(drugs.find((d) => d.genericNameZh === '多巴丝肼片')).toMatchObject({ atc: 'N04BA02', diseases: ['parkinsons_disease'] });
    expect(drugs.find((d) => d.genericNameZh === '阿司匹林肠溶片')).toMatchObject({ atc: 'B01AC06', diseases: ['coronary_heart_disease'] });
  });

  it('puts every chronic-disease drug on the provincial chronic list, and that list inside the national one', () => {
    for (const d of drugs.filter((x) => x.diseases.length > 0)) expect(d.lists, d.genericNameZh).toContain('chronic-common');
    for (const d of drugs.filter((x) => x.lists.includes('chronic-common'))) expect(d.lists, d.genericNameZh).toContain('nrdl');
    expect(drugs.filter((d) => d.lists.includes('chronic-common')).every((d) => d.diseases.length > 0)).toBe(true);
  });

  it('holds at least 30 general-outpatient drugs on the national list, and a few self-paid ones on no list', () => {
    const reimbursed = general.filter((d) => d.lists.includes('nrdl'));
    expect(reimbursed.length).toBeGreaterThanOrEqual(30);
    for (const d of reimbursed) expect(d.lists, d.genericNameZh).toEqual(['nrdl']);
    const names = general.map((d) => d.genericNameZh);
    expect(names).toEqual(expect.arrayContaining(['阿莫西林胶囊', '头孢呋辛酯片', '布洛芬缓释胶囊', '奥美拉唑肠溶胶囊']));
    expect(drugs.find((d) => d.genericNameZh === '阿莫西林胶囊')?.atc).toBe('J01CA04');
    const selfPaid = drugs.filter((d) => d.lists.length === 0);
    expect(selfPaid.length).toBeGreaterThanOrEqual(2);
    expect(selfPaid.every((d) => d.diseases.length === 0)).toBe(true);
  });

  it('marks a few specialist drugs that tertiary hospitals stock, each for a chronic disease', () => {
    const tertiary = drugs.filter((d) => d.lists.includes('tertiary'));
    expect(tertiary.length).toBeGreaterThanOrEqual(2);
    for (const d of tertiary) expect(d.lists, d.genericNameZh).toEqual(['chronic-common', 'nrdl', 'tertiary']);
  });

  it('prices are plausible integer fen: procured amlodipine is cheap, insulin glargine is not', () => {
    const amlodipine = drugs.find((d) => d.genericNameZh === '苯磺酸氨氯地平片')!;
    expect(amlodipine).toMatchObject({ vbp: true, packSize: 28, strength: '5mg' });
    expect(amlodipine.priceFen).toBeGreaterThanOrEqual(300);
    expect(amlodipine.priceFen).toBeLessThanOrEqual(700);
    const glargine = drugs.find((d) => d.atc === 'A10AE04')!;
    expect(glargine.priceFen).toBeGreaterThanOrEqual(7000);
    expect(glargine.priceFen).toBeLessThanOrEqual(9000);
    for (const d of drugs) {
      // a month's supply costs between 1 and 3,000 yuan
      const month = Math.ceil((30 * d.dailyUnits) / d.packSize) * d.priceFen;
      expect(month, d.genericNameZh).toBeGreaterThanOrEqual(100);
      expect(month, d.genericNameZh).toBeLessThanOrEqual(300_000);
    }
  });

  it('rejects a drug with a bad ATC code or an unknown disease', () => {
    const good = loadDrugs()[0];
    const bad = { source: 'x', lists, classes: loadDrugClasses(), drugs: [{ ...good, atc: 'C08CA1', diseases: ['gout'] }] };
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, bad)).toThrow(/data\/drugs\.json[\s\S]*drugs\.0\.atc/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, { ...bad, drugs: [{ ...good, atc: 'X08CA01' }] })).toThrow(/drugs\.0\.atc/);
    expect(() => checkDrugDiseases([{ ...good, diseases: ['gout'] }], loadDiseases())).toThrow(/drugs\.0\.diseases: unknown disease gout/);
  });

  it('rejects unknown or missing list ids and a chronic-disease drug off the chronic list', () => {
    const good = loadDrugs()[0];
    const file = (drug: object, l = lists) => ({ source: 'x', lists: l, classes: loadDrugClasses(), drugs: [drug] });
    expect(validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, diseases: [], lists: [] })).drugs[0].lists).toEqual([]);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, lists: ['chronic-common', 'nrdl', 'zhejiang'] }))).toThrow(/drugs\.0\.lists\.2: unknown list zhejiang/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, lists: ['nrdl'] }))).toThrow(/drugs\.0\.lists: a drug for hypertension must be on chronic-common/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, lists: ['chronic-common'] }))).toThrow(/drugs\.0\.lists: a drug on chronic-common must be on nrdl/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, lists: ['nrdl', 'nrdl'] }))).toThrow(/drugs\.0\.lists/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, lists: undefined }))).toThrow(/drugs\.0\.lists/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file(good, lists.filter((l) => l.id !== 'nrdl')))).toThrow(/lists: the nrdl list must be declared/);
  });

  it('gives every drug its maximum daily dose: at least the usual dose, at most 4 decimals, plausible from labelling', () => {
    const max = (name: string) => drugs.find((d) => d.genericNameZh === name)!.maxDailyUnits;
    expect(max('苯磺酸氨氯地平片')).toBe(2); // 5 mg tablets, 10 mg a day at most
    expect(max('盐酸二甲双胍片')).toBe(4); // 0.5 g tablets, 2 g a day
    expect(drugs.find((d) => d.atc === 'A10BJ02')!.maxDailyUnits).toBe(0.1); // liraglutide 1.8 mg of an 18 mg pen
    expect(drugs.find((d) => d.atc === 'L04AX03')!.maxDailyUnits).toBeCloseTo(25 / 2.5 / 7, 4); // methotrexate 25 mg a week
    for (const d of drugs) {
      expect(d.maxDailyUnits, d.genericNameZh).toBeGreaterThanOrEqual(d.dailyUnits);
      expect(d.maxDailyUnits, d.genericNameZh).toBeLessThanOrEqual(Math.max(4 * d.dailyUnits, 1) * 10);
    }
    const good = loadDrugs()[0];
    const file = (drug: object) => ({ source: 'x', lists, classes: loadDrugClasses(), drugs: [drug] });
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, maxDailyUnits: 0.5 }))).toThrow(/drugs\.0\.maxDailyUnits: below the usual daily dose/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, maxDailyUnits: 2.00001 }))).toThrow(/drugs\.0\.maxDailyUnits: at most 4 decimals/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, maxDailyUnits: undefined }))).toThrow(/drugs\.0\.maxDailyUnits/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, maxDailyUnit: 2 }))).toThrow(/maxDailyUnit/); // strict: a typo is refused
  });

  it('declares therapeutic classes by ATC group; a drug carries exactly the classes its ATC code falls in', () => {
    const classes = loadDrugClasses();
    expect(new Set(classes.map((c) => c.id)).size).toBe(classes.length);
    const used = new Set(drugs.flatMap((d) => d.classes));
    for (const c of classes) expect(used.has(c.id), c.id).toBe(true);
    const of = (name: string) => drugs.find((d) => d.genericNameZh === name)!.classes;
    expect(of('厄贝沙坦片')).toEqual(['arb']);
    expect(of('厄贝沙坦氢氯噻嗪片')).toEqual(['arb', 'thiazide']);
    expect(of('缬沙坦氨氯地平片(I)')).toEqual(['ccb_dhp', 'arb']);
    expect(of('沙库巴曲缬沙坦钠片')).toEqual(['arb']);
    expect(of('西格列汀二甲双胍片(II)')).toEqual(['biguanide', 'dpp4_inhibitor']);
    expect(of('阿司匹林肠溶片')).not.toEqual(of('硫酸氢氯吡格雷片')); // aspirin + clopidogrel is dual antiplatelet therapy, not a duplicate
    // the demo's ARB pairs: more than one drug of the arb class
    expect(drugs.filter((d) => d.classes.includes('arb')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an undeclared class, a class the ATC code does not give, a missing one, and a duplicate class id', () => {
    const good = loadDrugs().find((d) => d.atc === 'C09DA04')!; // irbesartan/HCTZ
    const classes = loadDrugClasses();
    const file = (drug: object, c = classes) => ({ source: 'x', lists, classes: c, drugs: [drug] });
    expect(validateCatalogue('data/drugs.json', drugsFileSchema, file(good)).drugs[0].classes).toEqual(['arb', 'thiazide']);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, classes: ['arb', 'thiazide', 'sartan'] }))).toThrow(/drugs\.0\.classes\.2: unknown class sartan/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, classes: ['arb'] }))).toThrow(/drugs\.0\.classes: C09DA04 is in the ATC groups of thiazide: add them/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, classes: ['arb', 'thiazide', 'acei'] }))).toThrow(/drugs\.0\.classes: C09DA04 is in none of the ATC groups of acei/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file({ ...good, classes: [] }))).toThrow(/drugs\.0\.classes/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file(good, [...classes, classes[0]]))).toThrow(/classes\.\d+\.id: duplicate class ccb_dhp/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, file(good, [{ ...classes[0], atc: ['C09'] }, ...classes.slice(1)]))).toThrow(/classes\.0\.atc\.0/);
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, { source: 'x', lists, drugs: [good] })).toThrow(/classes/);
  });
});
