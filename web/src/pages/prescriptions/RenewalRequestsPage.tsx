// 续方申请 (family doctor): the team's open renewal requests from patients (GET /api/team/renewal-requests),
// oldest first. 续方 opens the write form as a renewal of the prescription asked about (the renewal's
// checks — 复诊核验, early refill — answer there, with their dates); 拒绝 declines with a reason.
import { App as AntApp, Alert, Button, Card, Empty, Input, Modal, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { actionErrorLines } from '../../formErrors.ts';
import { formatDateTime } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { declineRenewal, useRefreshPrescriptions, useTeamRenewalRequests } from '../../components/prescription/api.ts';
import PrescriptionDetailDrawer from '../../components/prescription/PrescriptionDetailDrawer.tsx';
import PrescriptionFormDrawer, { type PrescribeTarget } from '../../components/prescription/PrescriptionFormDrawer.tsx';
import type { TeamRenewalRequest } from '../../components/prescription/types.ts';
import '../../components/prescription/prescription.css';

export default function RenewalRequestsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const requests = useTeamRenewalRequests();
  const refresh = useRefreshPrescriptions();
  const [form, setForm] = useState<PrescribeTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  const [detail, setDetail] = useState<string | null>(null);
  const [declining, setDeclining] = useState<TeamRenewalRequest | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const columns: TableColumnsType<TeamRenewalRequest> = [
    {
      title: t('person.fields.name'),
      key: 'name',
      width: 140,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/follow-ups/patients/${r.personId}`} data-testid="renewal-patient">
            {r.personName}
          </Link>
          <Typography.Text type="secondary" className="mono">
            {r.idNumber}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('prescriptions.renewals.prescription'),
      dataIndex: 'prescriptionNo',
      width: 240,
      render: (no: string, r) => (
        <Typography.Link className="mono" onClick={() => setDetail(r.prescriptionId)}>
          {no}
        </Typography.Link>
      ),
    },
    { title: t('prescriptions.renewals.note'), dataIndex: 'note', render: (n: string | null) => n ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text> },
    { title: t('prescriptions.renewals.requestedAt'), dataIndex: 'requestedAt', width: 150, render: (d: string) => <span className="mono">{formatDateTime(d)}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, r) => (
        <Space size={4}>
          <Button
            size="small"
            type="primary"
            onClick={() => {
              setOpenings((n) => n + 1);
              setForm({ person: { id: r.personId, name: r.personName, idNumber: r.idNumber }, renewal: { renewalOf: r.prescriptionId, renewalRequestId: r.id } });
            }}
            data-testid="renewal-renew"
          >
            {t('prescriptions.renewals.renew')}
          </Button>
          <Button
            size="small"
            danger
            onClick={() => {
              setReason('');
              setDeclining(r);
            }}
            data-testid="renewal-decline"
          >
            {t('prescriptions.renewals.decline')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div className="page-stack" data-testid="renewal-requests-page">
      <Card size="small" title={t('prescriptions.renewals.title')}>
        <Typography.Paragraph type="secondary" className="section-hint">
          {t('prescriptions.renewals.hint')}
        </Typography.Paragraph>
        {requests.isError ? <Alert type="error" showIcon title={errorLines(requests.error).join('；')} /> : null}
        <Table<TeamRenewalRequest>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={requests.data?.items ?? []}
          loading={requests.isPending}
          pagination={(requests.data?.items.length ?? 0) > 20 ? { pageSize: 20, size: 'small' } : false}
          onRow={(r) => ({ 'data-testid': 'renewal-row', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.renewals.empty')} /> }}
        />
      </Card>
      <PrescriptionFormDrawer key={`renew-${openings}`} target={form} onClose={() => setForm(null)} />
      <PrescriptionDetailDrawer id={detail} onClose={() => setDetail(null)} />
      <Modal
        open={declining !== null}
        title={t('prescriptions.renewals.declineTitle', { name: declining?.personName ?? '' })}
        okText={t('prescriptions.renewals.decline')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'renewal-decline-confirm' } as never}
        onCancel={() => setDeclining(null)}
        onOk={async () => {
          if (!declining) return;
          setBusy(true);
          try {
            await declineRenewal(declining.id, reason.trim());
            refresh();
            void message.success(t('prescriptions.renewals.declined'));
            setDeclining(null);
          } catch (error) {
            void message.error(actionErrorLines(error).join('；'));
          } finally {
            setBusy(false);
          }
        }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('prescriptions.renewals.declineReason')} data-testid="renewal-decline-reason" />
      </Modal>
    </div>
  );
}
