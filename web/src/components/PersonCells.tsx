// Table cells every list of people uses: the name (as a link) over sex and age, and the ID number
// over the phone.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Sex } from '../types.ts';

export function PersonNameCell({ link, sex, age, children }: { link: ReactNode; sex: Sex; age: number; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div>
      {link}
      <div className="cell-sub">
        {t(`person.sex.${sex}`)} · {t('person.ageValue', { age })}
        {children}
      </div>
    </div>
  );
}

export function IdPhoneCell({ idNumber, phone }: { idNumber: string; phone: string | null }) {
  return (
    <div>
      <span className="mono">{idNumber}</span>
      <div className="cell-sub mono">{phone ?? ''}</div>
    </div>
  );
}
