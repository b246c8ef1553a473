// 服务包 (read only): the family-doctor contract's service packages — the basic package every contract
// includes and the chronic-disease packages — with their diseases, annual fee and services.
import { Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { packageName, useDiseaseName } from '../../format.ts';
import { useServicePackages } from '../../hooks/reference.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { packageItemText } from '../../i18n/packageItems.ts';
import type { ServicePackage } from '../../types.ts';
import { yuanText } from './parts.tsx';
import './admin.css';

export default function ServicePackagesPage() {
  const { t } = useTranslation();
  const packages = useServicePackages();
  const diseaseName = useDiseaseName();
  const en = currentLanguage() === 'en-US';
  const columns: TableColumnsType<ServicePackage> = [
    { title: t('directory.servicePackages.columns.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
    {
      title: t('directory.servicePackages.columns.name'),
      key: 'name',
      render: (_, p) => (
        <div>
          <Typography.Text strong>{packageName(p)}</Typography.Text>
          {/* the Chinese name under the English one in en-US; zh-CN shows no English */}
          {en ? <div className="cell-sub">{p.nameZh}</div> : null}
        </div>
      ),
    },
    { title: t('directory.servicePackages.columns.kind'), dataIndex: 'kind', render: (k: ServicePackage['kind']) => <Tag color={k === 'basic' ? 'cyan' : 'geekblue'}>{t(`directory.servicePackages.kind.${k}`)}</Tag> },
    {
      title: t('directory.servicePackages.columns.diseases'),
      key: 'diseases',
      render: (_, p) => (p.diseases.length ? p.diseases.map((d) => <Tag key={d}>{diseaseName(d)}</Tag>) : <Typography.Text type="secondary">{t('directory.servicePackages.everyone')}</Typography.Text>),
    },
    {
      title: t('directory.servicePackages.columns.fee'),
      dataIndex: 'annualFeeFen',
      align: 'right',
      render: (fen: number) => (fen === 0 ? t('directory.servicePackages.free') : t('directory.servicePackages.perYear', { amount: t('directory.common.yuan', { amount: yuanText(fen) }) })),
    },
    {
      title: t('directory.servicePackages.columns.items'),
      key: 'items',
      render: (_, p) => (
        <ul className="package-items">
          {p.items.map((item) => (
            <li key={item}>{packageItemText(item)}</li>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <div className="page-stack" data-testid="service-packages-page">
      <Card title={t('directory.servicePackages.title')}>
        <Typography.Paragraph type="secondary">{t('directory.servicePackages.hint')}</Typography.Paragraph>
        <Table<ServicePackage>
          rowKey="code"
          size="small"
          columns={columns}
          dataSource={packages.data ?? []}
          loading={packages.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(p) => ({ 'data-testid': 'package-row', 'data-code': p.code }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
