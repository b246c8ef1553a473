// The service packages' items are stored in Chinese only (data/service-packages.json): their English
// wording for en-US, keyed by the Chinese text. An item not listed here shows as stored.
import { currentLanguage } from './index.ts';

const EN: Record<string, string> = {
  建立居民健康档案: 'A resident health record',
  健康教育与咨询: 'Health education and advice',
  预约转诊: 'Referral appointments',
  常见病多发病诊疗: 'Care for common illnesses',
  每年一次健康评估: 'A health assessment every year',
  每年至少4次面对面随访: 'At least 4 face-to-face follow-ups a year',
  血压监测与用药指导: 'Blood-pressure monitoring and medication advice',
  长处方与连续处方: 'Long and continuous prescriptions',
  '年度健康体检（含血脂、肾功能、心电图）': 'An annual health check (blood lipids, kidney function, ECG)',
  上转优先与下转接续: 'Priority referral upwards and continued care after referral back',
  '空腹血糖监测，每年糖化血红蛋白检测': 'Fasting glucose monitoring and an HbA1c test every year',
  '年度健康体检（含眼底、足部检查）': 'An annual health check (eye fundus and foot examination)',
  '高血压与糖尿病合并随访（每年至少4次）': 'Combined hypertension and diabetes follow-ups (at least 4 a year)',
  '血压、血糖监测与用药指导': 'Blood-pressure and glucose monitoring and medication advice',
  '长处方与连续处方，送药到家': 'Long and continuous prescriptions, with home delivery of drugs',
  '年度健康体检（含眼底、足部、肾功能）': 'An annual health check (eye fundus, feet, kidney function)',
};

/** A package item in the user's language. */
export function packageItemText(item: string): string {
  return currentLanguage() === 'en-US' ? (EN[item] ?? item) : item;
}
