import { describe, it, expect } from 'vitest';
import {
  checkDrugDiseases,
  diseaseForIcd10,
  drugsFileSchema,
  loadDiseases,
  loadDrugs,
  loadRegions,
  regionsFileSchema,
  validateCatalogue,
} from './catalogue';

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

  it('has at least 40 drugs with unique codes', () => {
    expect(drugs.length).toBeGreaterThanOrEqual(40);
    expect(new Set(drugs.map((d) => d.code)).size).toBe(drugs.length);
  });

  it('treats only the two diseases, with ATC groups matching the disease', () => {
    for (const d of drugs) {
      expect(d.atc, d.genericNameZh).toMatch(/^[A-Z]\d\d[A-Z][A-Z]\d\d$/);
      expect(d.diseases.length).toBeGreaterThan(0);
      expect(d.diseases.every((c) => c === 'hypertension' || c === 'diabetes'), d.genericNameZh).toBe(true);
      if (d.diseases.includes('hypertension')) expect(d.atc, d.genericNameZh).toMatch(/^C/);
      if (d.diseases.includes('diabetes')) expect(d.atc, d.genericNameZh).toMatch(/^A10/);
    }
    expect(drugs.filter((d) => d.diseases.includes('hypertension')).length).toBeGreaterThanOrEqual(20);
    expect(drugs.filter((d) => d.diseases.includes('diabetes')).length).toBeGreaterThanOrEqual(20);
  });

  it('prices are plausible integer fen: procured amlodipine is cheap, insulin glargine is not', () => {
    const amlodipine = drugs.find((d) => d.genericNameZh === '苯磺酸氨氯地平片')!;
    expect(amlodipine).toMatchObject({ vbp: true, packSize: 28, strength: '5mg' });
    expect(amlodipine.priceFen).toBeGreaterThanOrEqual(300);
    expect(amlodipine.priceFen).toBeLessThanOrEqual(700);
    const glargine = drugs.find((d) => d.atc === 'A10AE04')!;
    expect(glargine.priceFen).toBeGreaterThanOrEqual(7000);
    expect(glargine.priceFen).toBeLessThanOrEqual(9000);
  });

  it('rejects a drug with a bad ATC code or an unknown disease', () => {
    const good = loadDrugs()[0];
    const bad = { source: 'x', drugs: [{ ...good, atc: 'C08CA1', diseases: ['gout'] }] };
    expect(() => validateCatalogue('data/drugs.json', drugsFileSchema, bad)).toThrow(/data\/drugs\.json[\s\S]*drugs\.0\.atc/);
    expect(() => checkDrugDiseases([{ ...good, diseases: ['gout'] }], loadDiseases())).toThrow(/drugs\.0\.diseases: unknown disease gout/);
  });
});
