// A continuous prescription, read-only: drug, dose, frequency, days of supply, where it is dispensed.
import { Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TWO_DISEASES, drugName } from '../../format.ts';
import { useDrugCatalogue } from '../../hooks/reference.ts';
import type { PrescriptionLine } from '../../types.ts';

export const lineKey = (l: Pick<PrescriptionLine, 'drugCode' | 'dose' | 'frequency' | 'daysSupply' | 'dispensing' | 'pharmacyId'>) =>
  [l.drugCode, l.dose, l.frequency, l.daysSupply, l.dispensing, l.pharmacyId ?? ''].join('|');

export default function PrescriptionTable({
  lines,
  highlight,
  strike,
  testId,
}: {
  lines: PrescriptionLine[];
  /** Line keys to mark as new. */
  highlight?: Set<string>;
  /** Line keys to mark as ended. */
  strike?: Set<string>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const catalogue = useDrugCatalogue(TWO_DISEASES);
  const columns: TableColumnsType<PrescriptionLine> = [
    {
      title: t('rx.drug'),
      key: 'drug',
      render: (_, l) => {
        const d = catalogue.byCode.get(l.drugCode);
        return (
          <span>
            <Typography.Text strong>{d ? drugName(d) : l.drugName}</Typography.Text>{' '}
            <Typography.Text type="secondary">{l.strength}</Typography.Text>
            {highlight?.has(lineKey(l)) ? (
              <Tag color="green" className="line-mark">
                {t('diff.added')}
              </Tag>
            ) : null}
            {strike?.has(lineKey(l)) ? (
              <Tag color="red" className="line-mark">
                {t('diff.removed')}
              </Tag>
            ) : null}
          </span>
        );
      },
    },
    { title: t('rx.dose'), dataIndex: 'dose', width: 90 },
    { title: t('rx.frequency'), dataIndex: 'frequency', width: 110, render: (f: string) => t(`frequency.${f}`, { defaultValue: f }) },
    { title: t('rx.daysSupply'), dataIndex: 'daysSupply', width: 80, align: 'right', render: (d: number) => t('rx.daysValue', { days: d }) },
    {
      title: t('rx.dispensing'),
      key: 'dispensing',
      render: (_, l) =>
        l.dispensing === 'external' ? (
          <span>
            <Tag color="purple">{t('dispensing.external')}</Tag>
            {l.pharmacyName ?? ''}
          </span>
        ) : (
          <Tag>{t('dispensing.own')}</Tag>
        ),
    },
  ];
  return (
    <Table<PrescriptionLine>
      size="small"
      rowKey={(l) => `${l.lineNo}-${l.drugCode}`}
      columns={columns}
      dataSource={lines}
      pagination={false}
      rowClassName={(l) => (strike?.has(lineKey(l)) ? 'row-struck' : highlight?.has(lineKey(l)) ? 'row-added' : '')}
      locale={{ emptyText: t('rx.none') }}
      data-testid={testId}
    />
  );
}
