// What a registration must show to support a diagnosis. Hypertension: office BP ≥ 140/90 on three
// different days (中国高血压防治指南), or a hospital diagnosis. Diabetes: fasting glucose ≥ 7.0 mmol/L
// or HbA1c ≥ 6.5 % (中国2型糖尿病防治指南), or a hospital diagnosis. Other chronic diseases: a
// hospital diagnosis. Pure: returns the problems, each with the field path and the rule.
import type { IsoDate } from '../calendar';
import { validateReadings } from '../followup/readings';

export type DiagnosisBasis =
  | { type: 'bp_readings'; readings: Array<{ date: IsoDate; systolic: number; diastolic: number }> }
  | { type: 'glucose'; date: IsoDate; fastingGlucoseTenths?: number | null; hba1cTenths?: number | null }
  | { type: 'hospital_diagnosis'; institutionName: string; date: IsoDate };

export interface BasisProblem {
  path: string;
  rule: string;
  message: string;
}

const BP_DAYS = 3;

export function basisProblems(disease: string, basis: DiagnosisBasis, diagnosedOn: IsoDate, today: IsoDate): BasisProblem[] {
  const problems: BasisProblem[] = [];
  const add = (path: string, rule: string, message: string) => problems.push({ path, rule, message });
  if (diagnosedOn > today) add('diagnosedOn', 'not_in_future', '诊断日期不能晚于今天');

  if (basis.type === 'hospital_diagnosis') {
    if (basis.date > diagnosedOn) add('basis.date', 'before_diagnosis', '医院诊断日期不能晚于认定的诊断日期');
    return problems;
  }
  if (basis.type === 'bp_readings') {
    if (disease !== 'hypertension') add('basis.type', 'basis_fits_disease', '血压记录只能作为高血压的诊断依据');
    basis.readings.forEach((r, i) => {
      for (const e of validateReadings({ systolic: r.systolic, diastolic: r.diastolic })) add(`basis.readings.${i}.${e.field}`, e.rule, e.message);
      if (r.date > diagnosedOn) add(`basis.readings.${i}.date`, 'before_diagnosis', '测量日期不能晚于诊断日期');
    });
    const raisedDays = new Set(basis.readings.filter((r) => r.systolic >= 140 || r.diastolic >= 90).map((r) => r.date));
    if (raisedDays.size < BP_DAYS) add('basis.readings', 'three_raised_days', `需要非同日${BP_DAYS}次诊室血压 ≥ 140/90 mmHg（现有 ${raisedDays.size} 天）`);
    return problems;
  }
  if (disease !== 'diabetes') add('basis.type', 'basis_fits_disease', '血糖检测只能作为糖尿病的诊断依据');
  for (const e of validateReadings({ fastingGlucoseTenths: basis.fastingGlucoseTenths, hba1cTenths: basis.hba1cTenths })) add(`basis.${e.field}`, e.rule, e.message);
  if (basis.date > diagnosedOn) add('basis.date', 'before_diagnosis', '检测日期不能晚于诊断日期');
  const fastingMet = (basis.fastingGlucoseTenths ?? 0) >= 70;
  const hba1cMet = (basis.hba1cTenths ?? 0) >= 65;
  if (!fastingMet && !hba1cMet) add('basis', 'diagnostic_threshold', '需要空腹血糖 ≥ 7.0 mmol/L 或糖化血红蛋白 ≥ 6.5 %');
  return problems;
}
