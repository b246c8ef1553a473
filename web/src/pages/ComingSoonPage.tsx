// Placeholder for capabilities that later issues build; named by the menu key of the route table.
import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Result } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

type Feature =
  | 'followUps'
  | 'prescriptions'
  | 'prescriptionReview'
  | 'settlements'
  | 'reports'
  | 'myPrescriptions';

function ComingSoon({ feature }: { feature: Feature }) {
  const { t } = useTranslation();
  return (
    <Card data-testid="coming-soon">
      <Result
        icon={<ClockCircleOutlined />}
        title={t('comingSoon.title', { name: t(`menu.${feature}`) })}
        subTitle={
          <>
            <div>{t(`comingSoon.${feature}`)}</div>
            <div>{t('comingSoon.subtitle')}</div>
          </>
        }
      />
    </Card>
  );
}

export function comingSoon(feature: Feature): ComponentType {
  const Page = () => <ComingSoon feature={feature} />;
  Page.displayName = `ComingSoon(${feature})`;
  return Page;
}
