// The service-package catalogue (data/service-packages.json, the service_package table) has names in
// both languages but its items in Chinese only: their English, by the Chinese text. An item not listed
// here (a catalogue changed since) shows as the catalogue has it.
import { currentLanguage } from '../../i18n/index.ts';

const ITEMS_EN: Record<string, string> = {
  建立居民健康档案: 'Resident health record set up',
  健康教育与咨询: 'Health education and advice',
  预约转诊: 'Referral appointments',
  常见病多发病诊疗: 'Diagnosis and treatment of common illnesses',
  每年一次健康评估: 'A health assessment every year',
  每年至少4次面对面随访: 'At least 4 face-to-face follow-ups a year',
  血压监测与用药指导: 'Blood pressure monitoring and medication guidance',
  长处方与连续处方: 'Long and repeat prescriptions',
  '年度健康体检（含血脂、肾功能、心电图）': 'Annual health check (blood lipids, kidney function, ECG)',
  上转优先与下转接续: 'Priority referral up, continued care on the way back',
  '空腹血糖监测，每年糖化血红蛋白检测': 'Fasting glucose monitoring, an HbA1c test every year',
  '年度健康体检（含眼底、足部检查）': 'Annual health check (fundus and foot examination)',
  '高血压与糖尿病合并随访（每年至少4次）': 'Combined hypertension and diabetes follow-ups (at least 4 a year)',
  '血压、血糖监测与用药指导': 'Blood pressure and glucose monitoring, medication guidance',
  '长处方与连续处方，送药到家': 'Long and repeat prescriptions, medicines delivered home',
  '年度健康体检（含眼底、足部、肾功能）': 'Annual health check (fundus, foot, kidney function)',
};

/** One item of a package in the screen's language. */
export const packageItem = (item: string): string => (currentLanguage() === 'en-US' ? (ITEMS_EN[item] ?? item) : item);
