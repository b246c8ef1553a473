// A patient's prescriptions in their chart (GET /api/people/:id/prescriptions), newest first: state,
// origin, drugs, days, packs still to fill and where it is filled. A row opens the prescription; the
// doctor writes a new one (开方) and revises a returned one from here.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drugName } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { useAllDrugs, usePersonPrescriptions } from './api.ts';
import { OriginTag, StatusTag, placeText } from './labels.tsx';
import PrescriptionDetailDrawer from './PrescriptionDetailDrawer.tsx';
import PrescriptionFormDrawer, { type PrescribeTarget } from './PrescriptionFormDrawer.tsx';
import type { Prescription, PrescriptionItem } from './types.ts';
import './prescription.css';

export function useDrugNames() {
  const drugs = useAllDrugs();
  const byCode = new Map((drugs.data ?? []).map((d) => [d.code, d]));
  return (code: string, withStrength = false) => {
    const d = byCode.get(code);
    return d ? (withStrength ? `${drugName(d)} ${d.strength}` : drugName(d)) : code;
  };
}

/** 开方 for the patient: the button and its form, on their own (the chart's header, a list's row). */
export function PrescribeButton({ person, type = 'default', size }: { person: PrescribeTarget['person']; type?: 'default' | 'primary' | 'link'; size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<PrescribeTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  return (
    <>
      <Button
        type={type}
        size={size}
        icon={type === 'link' ? undefined : <PlusOutlined />}
        onClick={() => {
          setOpenings((n) => n + 1);
          setTarget({ person });
        }}
        data-testid="rx-prescribe"
      >
        {t('prescriptions.prescribe')}
      </Button>
      <PrescriptionFormDrawer key={`rx-${openings}`} target={target} onClose={() => setTarget(null)} />
    </>
  );
}

export default function PersonPrescriptions({ person, canWrite }: { person: PrescribeTarget['person']; canWrite: boolean }) {
  const { t } = useTranslation();
  const list = usePersonPrescriptions(person.id);
  const name = useDrugNames();
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<PrescribeTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  const write = (target: PrescribeTarget) => {
    setOpenings((n) => n + 1);
    setForm(target);
  };

  const columns: TableColumnsType<PrescriptionItem> = [
    { title: t('prescriptions.fields.no'), dataIndex: 'prescriptionNo', width: 250, render: (no: string) => <Typography.Link className="mono rx-no">{no}</Typography.Link> },
    { title: t('prescriptions.fields.status'), dataIndex: 'status', width: 96, render: (s: string) => <StatusTag status={s} /> },
    { title: t('prescriptions.fields.origin'), dataIndex: 'origin', width: 100, render: (o: string) => <OriginTag origin={o} /> },
    { title: t('prescriptions.fields.drugs'), dataIndex: 'drugs', render: (d: string[]) => <span className="rx-drugs">{d.map((c) => name(c, true)).join('、')}</span> },
    { title: t('prescriptions.fields.writtenOn'), dataIndex: 'writtenOn', width: 110, render: (d: string) => <span className="mono">{d}</span> },
    { title: t('prescriptions.fields.daysSupply'), dataIndex: 'daysSupply', width: 70, render: (d: number) => t('rx.daysValue', { days: d }) },
    { title: t('prescriptions.remaining'), dataIndex: 'remainingPacks', width: 90, render: (n: number) => <span data-testid="rx-remaining">{t('prescriptions.packsValue', { count: n })}</span> },
    { title: t('prescriptions.fields.fillPlace'), key: 'place', render: (_, r) => placeText(r.fillPlace, r.fillInstitution) },
  ];

  return (
    <div className="page-stack" data-testid="person-prescriptions">
      {canWrite ? (
        <Space size={8}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => write({ person })} data-testid="rx-prescribe-tab">
            {t('prescriptions.prescribe')}
          </Button>
          <Typography.Text type="secondary">{t('prescriptions.chartHint')}</Typography.Text>
        </Space>
      ) : null}
      {list.isError ? <Alert type="error" showIcon title={errorLines(list.error).join('；')} /> : null}
      <Table<PrescriptionItem>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pagination={(list.data?.items.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
        rowClassName="row-clickable"
        onRow={(r) => ({ onClick: () => setOpen(r.id), 'data-testid': 'rx-row', 'data-id': r.id, 'data-status': r.status }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.empty')} /> }}
      />
      <PrescriptionDetailDrawer
        id={open}
        onClose={() => setOpen(null)}
        onRevise={
          canWrite
            ? (p: Prescription) => {
                setOpen(null);
                write({ person, prescription: p });
              }
            : undefined
        }
      />
      <PrescriptionFormDrawer key={`rx-form-${openings}`} target={form} onClose={() => setForm(null)} />
    </div>
  );
}
