// Placeholder for capabilities that later issues build; named by the menu key of the route table.
// The indicators page (the analyst's home) also lists the indicators it is going to show.
import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Result, Typography } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

type Feature =
  | 'followUps'
  | 'prescriptions'
  | 'prescriptionReview'
  | 'settlements'
  | 'reports'
  | 'myPrescriptions';

/** The indicators the seeds name, with their targets (DOMAIN.md §3.12). */
const PLANNED: Partial<Record<Feature, readonly string[]>> = {
  reports: ['contracting', 'standardised', 'bpControl', 'glucoseControl', 'grassrootsVisits', 'fund', 'quarterly'],
};

function ComingSoon({ feature }: { feature: Feature }) {
  const { t } = useTranslation();
  const planned = PLANNED[feature] ?? [];
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
      {planned.length ? (
        <div className="planned" data-testid="coming-soon-planned">
          <Typography.Text strong className="sub-title">
            {t('comingSoon.plannedTitle')}
          </Typography.Text>
          <div className="planned__grid">
            {planned.map((key) => (
              <div key={key} className="planned__item" data-testid="planned-indicator">
                <Typography.Text strong>{t(`comingSoon.planned.${key}.name`)}</Typography.Text>
                <div className="planned__hint">{t(`comingSoon.planned.${key}.hint`)}</div>
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </Card>
  );
}

export function comingSoon(feature: Feature): ComponentType {
  const Page = () => <ComingSoon feature={feature} />;
  Page.displayName = `ComingSoon(${feature})`;
  return Page;
}
