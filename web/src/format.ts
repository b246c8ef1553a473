// Small display helpers shared by the screens: dates (dayjs, as antd uses), money in fen, names of
// catalogue entries in the current language, and the labels of coded values.
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from './i18n/index.ts';
import type { Drug, ServicePackage } from './types.ts';

export const ISO_DATE = 'YYYY-MM-DD';

/** Today in the browser's calendar, as YYYY-MM-DD. */
export const todayIso = (): string => dayjs().format(ISO_DATE);

export const toIsoDate = (d: Dayjs | null | undefined): string | undefined => (d ? d.format(ISO_DATE) : undefined);

export const fromIsoDate = (s: string | null | undefined): Dayjs | undefined => (s ? dayjs(s) : undefined);

export const formatDateTime = (iso: string | null | undefined): string => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** 12000 fen → "120.00". */
export const yuan = (fen: number): string => (fen / 100).toFixed(2);

/** Disease name in the current language; the server's (Chinese) name when the code is unknown here. */
export function useDiseaseName() {
  const { t } = useTranslation();
  return (code: string, fallback?: string) => t(`diseases.${code}`, { defaultValue: fallback ?? code });
}

export const packageName = (p: Pick<ServicePackage, 'nameZh' | 'nameEn'>): string =>
  currentLanguage() === 'en-US' ? p.nameEn : p.nameZh;

export const drugName = (d: Pick<Drug, 'genericNameZh' | 'genericNameEn'>): string =>
  currentLanguage() === 'en-US' ? d.genericNameEn : d.genericNameZh;

/** The two diseases the programme registers. */
export const TWO_DISEASES = ['hypertension', 'diabetes'] as const;

/** Ageing colour for a filing waiting in the queue. */
export function ageColor(days: number): string | undefined {
  if (days > 15) return 'red';
  if (days > 7) return 'orange';
  return undefined;
}
