// 待遇资格: for a chosen day, whether each two-disease benefit applies and why (GET …/eligibility),
// with the insurance, the contract, the registrations and the continuous prescription behind it.
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Card, DatePicker, Descriptions, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ISO_DATE, todayIso, useDiseaseName } from '../format.ts';
import { useEligibility } from '../hooks/reference.ts';
import PrescriptionTable from './filing/PrescriptionTable.tsx';

export default function EligibilityPanel({
  personId,
  title,
  showPrescription = true,
}: {
  /** 'me' for the signed-in patient. */
  personId: string;
  title?: string;
  showPrescription?: boolean;
}) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const [date, setDate] = useState(todayIso());
  const eligibility = useEligibility(personId, date);
  const e = eligibility.data;

  return (
    <Card
      size="small"
      className="eligibility-panel"
      title={title ?? t('eligibility.title')}
      data-testid="eligibility-panel"
      extra={
        <Space size={8}>
          <Typography.Text type="secondary">{t('eligibility.onDate')}</Typography.Text>
          <DatePicker
            size="small"
            allowClear={false}
            format={ISO_DATE}
            value={dayjs(date)}
            onChange={(d) => d && setDate(d.format(ISO_DATE))}
            data-testid="eligibility-date"
          />
        </Space>
      }
    >
      {eligibility.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : !e ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('errors.loadFailed')} />
      ) : (
        <>
          <List
            size="small"
            className="benefit-list"
            dataSource={e.benefits}
            renderItem={(b) => (
              <List.Item data-testid="benefit" data-disease={b.disease} data-applies={String(b.applies)} data-reason={b.reason}>
                <Space size={8} align="start" className="benefit">
                  {b.applies ? (
                    <CheckCircleFilled className="benefit__icon benefit__icon--yes" />
                  ) : (
                    <CloseCircleFilled className="benefit__icon benefit__icon--no" />
                  )}
                  <div>
                    <Space size={8}>
                      <Typography.Text strong>{diseaseName(b.disease, b.name)}</Typography.Text>
                      <Tag color={b.applies ? 'success' : 'default'}>
                        {b.applies ? t('eligibility.applies') : t('eligibility.notApplies')}
                      </Tag>
                    </Space>
                    <div className="benefit__reason">
                      {t(`eligibility.reasons.${b.reason}`, { defaultValue: b.message })}
                    </div>
                  </div>
                </Space>
              </List.Item>
            )}
          />
          <Descriptions
            size="small"
            column={{ xs: 1, lg: 2 }}
            className="eligibility-facts"
            items={[
              {
                key: 'insured',
                label: t('eligibility.insured'),
                children: (
                  <span>
                    {t(`person.insurance.${e.insured.type}`)}
                    {e.insured.onDate ? null : <Tag color="red" className="tag-gap">{t('eligibility.notInsuredOnDate')}</Tag>}
                    <Typography.Text type="secondary" className="tag-gap">
                      {t('eligibility.since', { date: e.insured.since })}
                    </Typography.Text>
                  </span>
                ),
              },
              {
                key: 'contract',
                label: t('eligibility.contract'),
                children: e.contract ? (
                  <span>
                    {e.contract.team.name}
                    <Typography.Text type="secondary" className="tag-gap mono">
                      {e.contract.startDate} ~ {e.contract.endDate}
                    </Typography.Text>
                  </span>
                ) : (
                  <Typography.Text type="secondary">{t('eligibility.noContract')}</Typography.Text>
                ),
              },
              {
                key: 'registrations',
                label: t('eligibility.registrations'),
                children: e.registrations.length ? (
                  <Space size={[4, 4]} wrap>
                    {e.registrations.map((r) => (
                      <Tag key={`${r.disease}-${r.effectiveFrom}`} color="green">
                        {diseaseName(r.disease, r.name)}
                        <span className="tag-meta">
                          {t('diff.since', { date: r.effectiveFrom })}
                          {r.effectiveTo ? ` ~ ${r.effectiveTo}` : ''}
                        </span>
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('diff.noRegistration')}</Typography.Text>
                ),
              },
              ...(showPrescription && !e.prescription.length
                ? [{ key: 'rx', label: t('eligibility.prescription'), children: <Typography.Text type="secondary">{t('rx.none')}</Typography.Text> }]
                : []),
            ]}
          />
          {showPrescription && e.prescription.length ? (
            <>
              <Typography.Text strong className="sub-title">
                {t('eligibility.prescription')}
              </Typography.Text>
              <PrescriptionTable lines={e.prescription} testId="eligibility-prescription" />
            </>
          ) : null}
        </>
      )}
    </Card>
  );
}
