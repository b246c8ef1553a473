// Small pieces the pharmacist's screens share: a prescription's state, where it is filled, its lines.
import { Table, type TableColumnsType, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Prescription, RxLine, RxStatus } from './api.ts';

const STATUS_COLOR: Record<RxStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  under_review: 'processing',
  approved: 'green',
  returned: 'orange',
  partly_dispensed: 'cyan',
  dispensed: 'purple',
  expired: 'default',
  cancelled: 'default',
};

export function RxStatusTag({ status }: { status: RxStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="rx-status" data-status={status}>
      {t(`pharmacy.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function FillPlaceText({ p }: { p: Pick<Prescription, 'fillPlace' | 'fillInstitution' | 'deliveryAddress'> }) {
  const { t } = useTranslation();
  return (
    <span data-testid="rx-fill-place" data-place={p.fillPlace}>
      {t(`pharmacy.fillPlace.${p.fillPlace}`)} · {p.fillInstitution.name}
      {p.fillPlace === 'delivery' && p.deliveryAddress ? ` · ${p.deliveryAddress}` : ''}
    </span>
  );
}

/** The prescription's lines: drug, dose, frequency, days and packs (with what is dispensed and left). */
export function RxLinesTable({ lines, drugName, showFill }: { lines: RxLine[]; drugName: (code: string) => string; showFill?: boolean }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<RxLine> = [
    { title: '#', dataIndex: 'lineNo', width: 44 },
    {
      title: t('pharmacy.fields.drug'),
      key: 'drug',
      render: (_: unknown, l) => (
        <span>
          {drugName(l.drugCode)} <span className="rx-muted">{l.strength}</span>
        </span>
      ),
    },
    { title: t('pharmacy.fields.dose'), key: 'dose', render: (_: unknown, l) => `${l.dose} ${l.unit}` },
    { title: t('pharmacy.fields.frequency'), dataIndex: 'frequency', render: (f: string) => t(`frequency.${f}`, { defaultValue: f }) },
    { title: t('pharmacy.fields.daysSupply'), dataIndex: 'daysSupply', align: 'right', render: (d: number) => t('rx.daysValue', { days: d }) },
    {
      title: t('pharmacy.fields.packs'),
      key: 'packs',
      align: 'right',
      render: (_: unknown, l) => t('pharmacy.packsValue', { count: l.quantity, size: l.packSize, unit: l.unit }),
    },
    ...(showFill
      ? [
          { title: t('pharmacy.fields.dispensed'), dataIndex: 'dispensedQuantity', align: 'right' as const },
          { title: t('pharmacy.fields.remaining'), dataIndex: 'remainingQuantity', align: 'right' as const },
        ]
      : []),
  ];
  return (
    <Table<RxLine>
      rowKey="lineNo"
      size="small"
      columns={columns}
      dataSource={lines}
      pagination={false}
      data-testid="rx-lines"
      onRow={(l) => ({ 'data-testid': 'rx-line', 'data-line-no': l.lineNo }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}
