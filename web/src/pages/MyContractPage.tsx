// 我的签约 (patient): my current contract — team, doctor, period, service packages and what they
// contain — my registration status per disease and whether the benefit applies (eligibility), and
// earlier contracts.
import { MedicineBoxOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { Avatar, Card, Col, Collapse, Descriptions, Empty, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import ContractHistory, { PackageTags } from '../components/contract/ContractHistory.tsx';
import EligibilityPanel from '../components/EligibilityPanel.tsx';
import { packageOrder } from '../components/contract/SignContractModal.tsx';
import { ContractStatusTag, DaysToEndTag } from '../components/labels.tsx';
import { formatDateTime } from '../format.ts';
import { useContracts, useMyTeam, useServicePackages } from '../hooks/reference.ts';
import { errorLines } from '../notify.ts';
import type { Contract } from '../types.ts';
import PackageCard from '../components/contract/PackageCard.tsx';

function PackageContents({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
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
        <Space size={8}>
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
          { key: 'packages', label: t('contract.packages'), span: 2, children: <PackageTags codes={contract.packages} /> },
        ]}
      />
      <Typography.Text strong className="sub-title">
        {t('myContract.services')}
      </Typography.Text>
      <PackageContents codes={contract.packages} />
    </Card>
  );
}

function MyTeam({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  const team = useMyTeam();
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
        <div className="my-team__members" data-testid="my-team-members">
          {(team.data?.members ?? []).map((m) => (
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

export default function MyContractPage() {
  const { t } = useTranslation();
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
      <EligibilityPanel personId="me" title={t('myContract.registrationStatus')} />
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
