// Patient header card: who the person is, how they are insured, which team they contracted and which
// diseases are registered. Shown on person search and on the patient's own page.
import { Avatar, Card, Descriptions, type DescriptionsProps, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonDetail, PersonDisease, PersonSummary } from '../types.ts';
import RevealIdNumber from './RevealIdNumber.tsx';

const DISEASE_STATUS_COLOR: Record<string, string> = {
  diagnosed: 'blue',
  confirmed: 'green',
  pending: 'orange',
  rejected: 'red',
  revoked: 'default',
};

export function InsuranceTag({ type }: { type: PersonSummary['insuranceType'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={type === 'employee' ? 'geekblue' : 'cyan'} variant="outlined">
      {t(`person.insurance.${type}`)}
    </Tag>
  );
}

export function DiseaseTags({ diseases }: { diseases: PersonDisease[] }) {
  const { t } = useTranslation();
  if (diseases.length === 0) return <Typography.Text type="secondary">{t('person.noDiseases')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {diseases.map((d) => (
        <Tag
          key={d.code}
          color={DISEASE_STATUS_COLOR[d.status] ?? 'default'}
          title={d.code}
          data-testid="patient-card-disease"
          data-disease-code={d.code}
        >
          {d.name}
          <span className="disease-tag__meta">{t(`person.diseaseStatus.${d.status}`, { defaultValue: d.status })}</span>
        </Tag>
      ))}
    </Space>
  );
}

interface PatientCardProps {
  person: PersonSummary | PersonDetail | undefined;
  loading?: boolean;
  title?: string;
  extra?: React.ReactNode;
}

export default function PatientCard({ person, loading, title, extra }: PatientCardProps) {
  const { t } = useTranslation();
  const none = t('common.none');

  if (!person) {
    return (
      <Card className="patient-card" data-testid="patient-card" title={title} extra={extra}>
        {loading ? <Skeleton avatar active paragraph={{ rows: 3 }} /> : <Empty />}
      </Card>
    );
  }

  const detail = 'insuredSince' in person ? person : null;
  const items: DescriptionsProps['items'] = [
    {
      key: 'insuranceType',
      label: t('person.fields.insuranceType'),
      children: <span data-testid="patient-card-insurance">{t(`person.insurance.${person.insuranceType}`)}</span>,
    },
    {
      key: 'contract',
      label: t('person.fields.contract'),
      children: (
        <span data-testid="patient-card-team">
          {person.contract ? (
            <>
              {person.contract.teamName}
              <Typography.Text type="secondary" className="contract-until">
                {t('person.contractUntil', { date: person.contract.endDate })}
              </Typography.Text>
            </>
          ) : (
            <Typography.Text type="secondary">{t('person.notContracted')}</Typography.Text>
          )}
        </span>
      ),
    },
    {
      key: 'phone',
      label: t('person.fields.phone'),
      children: <span className="mono">{person.phone ?? none}</span>,
    },
    { key: 'birthDate', label: t('person.fields.birthDate'), children: person.birthDate },
  ];
  if (detail) {
    items.push(
      { key: 'insuredSince', label: t('person.fields.insuredSince'), children: detail.insuredSince },
      { key: 'address', label: t('person.fields.address'), children: detail.address ?? none },
    );
  }
  items.push({
    key: 'diseases',
    label: t('person.fields.diseases'),
    span: 'filled',
    children: (
      <div data-testid="patient-card-diseases">
        <DiseaseTags diseases={person.diseases} />
      </div>
    ),
  });

  return (
    <Card
      className="patient-card"
      data-testid="patient-card"
      data-person-id={person.id}
      title={title}
      extra={extra}
      loading={loading}
    >
      <div className="patient-card__head">
        <Avatar size={56} className={`patient-avatar patient-avatar--${person.sex}`}>
          {person.name.slice(0, 1)}
        </Avatar>
        <div className="patient-card__identity">
          <Space size={8} align="center" wrap>
            <Typography.Title level={4} className="patient-card__name" data-testid="patient-card-name">
              {person.name}
            </Typography.Title>
            <Tag data-testid="patient-card-sex">{t(`person.sex.${person.sex}`)}</Tag>
            <Tag data-testid="patient-card-age">{t('person.ageValue', { age: person.age })}</Tag>
            <InsuranceTag type={person.insuranceType} />
            {person.contract ? (
              <Tag color="success">{t('person.contracted')}</Tag>
            ) : null}
          </Space>
          <Typography.Text type="secondary" className="patient-card__sub">
            <span className="patient-card__label">{t('person.fields.idNumber')}</span>
            <RevealIdNumber personId={person.id} masked={person.idNumber} />
            <span className="dot-sep">·</span>
            <span className="patient-card__label">{t('person.fields.region')}</span>
            {person.region.name}
          </Typography.Text>
        </div>
      </div>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} className="patient-card__details" />
    </Card>
  );
}
