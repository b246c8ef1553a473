// One service package as a card: its name, fee and contents. The sign form makes it a checkbox label;
// the patient's page shows it read-only.
import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { packageName, yuan } from '../../format.ts';
import type { ServicePackage } from '../../types.ts';
import { packageItem } from './packageItems.ts';

interface Props {
  pkg: ServicePackage;
  /** Before the name: the checkbox, or an icon. */
  lead: ReactNode;
  /** After the name (e.g. a "mandatory" tag). */
  badge?: ReactNode;
  /** A <label>, so a click anywhere on the card toggles its checkbox. */
  asLabel?: boolean;
  testId: string;
}

export default function PackageCard({ pkg, lead, badge, asLabel = false, testId }: Props) {
  const { t } = useTranslation();
  const Wrapper = asLabel ? 'label' : 'div';
  return (
    <Wrapper className={`package-option package-option--${pkg.kind}`} data-testid={testId}>
      <div className="package-option__head">
        {lead}
        <Typography.Text strong>{packageName(pkg)}</Typography.Text>
        {badge}
        <span className="package-option__fee">
          {pkg.annualFeeFen === 0 ? t('contract.free') : t('contract.feePerYear', { fee: yuan(pkg.annualFeeFen) })}
        </span>
      </div>
      <ul className="package-option__items">
        {pkg.items.map((item) => (
          <li key={item}>{packageItem(item)}</li>
        ))}
      </ul>
    </Wrapper>
  );
}
