// 我的签约 (patient): my current contract — team, doctor, period, service packages and what they
// contain — how to reach my team (its service phone, the institution's address and phone, tap to
// call), my registration status per disease and whether the benefit applies (eligibility), and
// earlier contracts. The renewal prompt above the page comes from the layout.
import { EnvironmentOutlined, MedicineBoxOutlined, PhoneOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { Avatar, Card, Col, Collapse, Descriptions, Empty, List, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import ContractHistory, { PackageTags } from '../components/contract/ContractHistory.tsx';
import PackageCard from '../components/contract/PackageCard.tsx';
import { packageOrder } from '../components/contract/SignContractModal.tsx';
import EligibilityPanel from '../components/EligibilityPanel.tsx';
import { ContractStatusTag, DaysToEndTag } from '../components/labels.tsx';
import { TWO_DISEASES, drugName, formatDateTime, todayIso } from '../format.ts';
import { useContracts, useDrugCatalogue, useEligibility, useMyTeam, useServicePackages } from '../hooks/reference.ts';
import { CallButton, TelLink } from '../layout/TelLink.tsx';
import { useIsPhone } from '../layout/useIsPhone.ts';
import { errorLines } from '../notify.ts';
import type { Contract } from '../types.ts';

function PackageContents({ codes }: { codes: string[] }) {
  const packages = useServicePackages();
  const mine = (packages.data ?? []).filter((p) => codes.includes(p.code)).sort(packageOrder);
  if (!packages.data) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <div className="package-grid package-grid--read">
      {mine.map((p) => (
        <PackageCard key={p.code} pkg={p} lead={<MedicineBoxOutlined />} testId={`my-package-${p.code}`} />
      ))}
    </div>
  );
}

function CurrentContract({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={
        <Space size={8} wrap>
          <SafetyCertificateOutlined />
          {t('myContract.current')}
          <ContractStatusTag status={contract.status} />
          <DaysToEndTag days={contract.daysToEnd} />
        </Space>
      }
      data-testid="my-contract"
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'team', label: t('contract.team'), children: <span data-testid="my-contract-team">{contract.team.name}</span> },
          { key: 'doctor', label: t('contract.doctor'), children: contract.doctor.name },
          {
            key: 'period',
            label: t('contract.period'),
            children: (
              <span className="mono" data-testid="my-contract-period">
                {contract.startDate} ~ {contract.endDate}
              </span>
            ),
          },
          {
            key: 'consent',
            label: t('contract.consent'),
            children: `${t(`contract.signers.${contract.consent.signer}`)} · ${contract.consent.signerName} · ${formatDateTime(contract.consent.signedAt)}`,
          },
          { key: 'packages', label: t('contract.packages'), span: 'filled', children: <PackageTags codes={contract.packages} /> },
        ]}
      />
      <Typography.Text strong className="sub-title">
        {t('myContract.services')}
      </Typography.Text>
      <PackageContents codes={contract.packages} />
    </Card>
  );
}

function ContactRow({ icon, label, children, testId }: { icon: ReactNode; label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="contact-row" data-testid={testId}>
      <span className="contact-row__icon">{icon}</span>
      <div className="contact-row__text">
        <div className="contact-row__label">{label}</div>
        <div>{children}</div>
      </div>
    </div>
  );
}

function MyTeam({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const team = useMyTeam();
  const data = team.data;
  const none = <Typography.Text type="secondary">{t('myContract.noPhone')}</Typography.Text>;
  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <TeamOutlined />
          {t('myContract.team')}
        </Space>
      }
      data-testid="my-team"
    >
      <div className="my-team">
        <Typography.Title level={5} className="my-team__name">
          {contract.team.name}
        </Typography.Title>
        <div className="my-team__contact" data-testid="my-team-contact">
          {data?.phone && phone ? (
            <CallButton phone={data.phone} block testId="my-team-call">
              {t('myContract.callTeam')}
            </CallButton>
          ) : null}
          <ContactRow icon={<PhoneOutlined />} label={t('myContract.teamPhone')} testId="my-team-phone">
            {data ? data.phone ? <TelLink phone={data.phone} /> : none : <Skeleton.Input active size="small" />}
          </ContactRow>
          <ContactRow icon={<EnvironmentOutlined />} label={data?.institution.name ?? t('myContract.institution')} testId="my-team-institution">
            {data ? (
              <div className="stack-4">
                <span>{data.institution.address ?? <Typography.Text type="secondary">{t('myContract.noAddress')}</Typography.Text>}</span>
                {data.institution.phone ? (
                  <span>
                    <Typography.Text type="secondary">{t('myContract.institutionPhone')}</Typography.Text>{' '}
                    <TelLink phone={data.institution.phone} testId="my-institution-phone" />
                  </span>
                ) : null}
              </div>
            ) : (
              <Skeleton.Input active size="small" />
            )}
          </ContactRow>
        </div>
        <Typography.Text strong className="sub-title">
          {t('myContract.members')}
        </Typography.Text>
        <div className="my-team__members" data-testid="my-team-members">
          {(data?.members ?? []).map((m) => (
            <div key={m.id} className="team-member" data-testid="my-team-member">
              <Avatar size={36} className={`team-member__avatar team-member__avatar--${m.role}`}>
                {m.name.slice(0, 1)}
              </Avatar>
              <div className="team-member__text">
                <Typography.Text strong>{m.name}</Typography.Text>
                <div>
                  <Tag>{t(`teamRole.${m.role}`)}</Tag>
                  {m.id === contract.doctor.id ? <Tag color="green">{t('myContract.myDoctor')}</Tag> : null}
                </div>
              </div>
            </div>
          ))}
          {team.isPending ? <Skeleton active avatar paragraph={{ rows: 1 }} /> : null}
        </div>
        <Typography.Paragraph type="secondary" className="my-team__hint">
          {t('myContract.teamHint')}
        </Typography.Paragraph>
      </div>
    </Card>
  );
}

/** The continuous prescription as a list, for a phone (the panel's table needs a wider screen). */
function MyPrescription() {
  const { t } = useTranslation();
  const eligibility = useEligibility('me', todayIso());
  const catalogue = useDrugCatalogue(TWO_DISEASES);
  const lines = eligibility.data?.prescription ?? [];
  if (!eligibility.data) return null;
  return (
    <Card size="small" title={t('eligibility.prescription')} data-testid="my-prescription">
      <List
        size="small"
        dataSource={lines}
        locale={{ emptyText: t('rx.none') }}
        renderItem={(l) => {
          const d = catalogue.byCode.get(l.drugCode);
          return (
            <List.Item data-testid="my-prescription-line">
              <div className="rx-item">
                <div>
                  <Typography.Text strong>{d ? drugName(d) : l.drugName}</Typography.Text>{' '}
                  <Typography.Text type="secondary">{l.strength}</Typography.Text>
                </div>
                <div className="rx-item__meta">
                  {t('myContract.rxLine', {
                    dose: l.dose,
                    frequency: t(`frequency.${l.frequency}`, { defaultValue: l.frequency }),
                    days: l.daysSupply,
                  })}
                </div>
                <div>
                  {l.dispensing === 'external' ? (
                    <>
                      <Tag color="purple">{t('dispensing.external')}</Tag>
                      {l.pharmacyName ?? ''}
                    </>
                  ) : (
                    <Tag>{t('dispensing.own')}</Tag>
                  )}
                </div>
              </div>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

export default function MyContractPage() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const contracts = useContracts('me');

  if (contracts.isError) {
    return <Result status="error" title={t('errors.loadFailed')} subTitle={errorLines(contracts.error).join('；')} />;
  }
  if (contracts.isPending) return <Skeleton active />;
  const all = contracts.data;
  const current = all.find((c) => c.inForce) ?? all.find((c) => c.status === 'active');
  const earlier = all.filter((c) => c !== current);

  return (
    <div className="page-stack">
      {current ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <CurrentContract contract={current} />
          </Col>
          <Col xs={24} xl={8}>
            <MyTeam contract={current} />
          </Col>
        </Row>
      ) : (
        <Card>
          <Empty description={t('myContract.none')} data-testid="my-contract-none" />
        </Card>
      )}
      <EligibilityPanel personId="me" title={t('myContract.registrationStatus')} showPrescription={!phone} />
      {phone ? <MyPrescription /> : null}
      {earlier.length ? (
        <Collapse
          size="small"
          items={[
            {
              key: 'earlier',
              label: t('myContract.earlier', { count: earlier.length }),
              children: <ContractHistory contracts={earlier} />,
            },
          ]}
        />
      ) : null}
    </div>
  );
}
