// One referral (GET /api/referrals/:id): who, from where to where, urgency, reason and clinical summary,
// the appointment with the four priorities given and how long it waited; an up-referral's attached
// prescriptions, a down-referral's discharge (summary, continue lines, the 2-week follow-up due date);
// and its history, every state as a tag. The actions the doctor may take now sit in the header.
import { Alert, Descriptions, Drawer, Empty, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, todayIso } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { useReferral } from './api.ts';
import { FollowUpDue, PriorityFlags, ReferralStateTag, UrgencyTag, Waiting } from './labels.tsx';
import ReferralActions, { type ReferralRole } from './ReferralActions.tsx';
import type { ContinueLine, Referral, ReferralItem } from './types.ts';
import './referral.css';

function Lines({ lines, testId }: { lines: Array<Pick<ContinueLine, 'drugCode' | 'drugName' | 'daysSupply'> & { dose: string | number; frequency: string }>; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey={(l) => `${l.drugCode}-${l.dose}-${l.frequency}`}
      dataSource={lines}
      pagination={false}
      onRow={() => ({ 'data-testid': testId }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('rx.drug'), dataIndex: 'drugName' },
        { title: t('prescriptions.form.dose'), dataIndex: 'dose', width: 90 },
        { title: t('rx.frequency'), dataIndex: 'frequency', width: 120, render: (f: string) => t(`frequency.${f}`, { defaultValue: f }) },
        { title: t('rx.daysSupply'), dataIndex: 'daysSupply', width: 80, render: (d: number) => t('rx.daysValue', { days: d }) },
      ]}
    />
  );
}

export function ReferralBody({ r }: { r: Referral }) {
  const { t } = useTranslation();
  const none = t('common.none');
  const d = r.discharge;
  return (
    <div className="ref-detail" data-testid="referral-detail" data-status={r.status} data-direction={r.direction}>
      {r.status === 'declined' && r.declineReason ? (
        <Alert type="warning" showIcon className="form-alert" title={t('referral.fields.declineReason')} description={<span data-testid="referral-decline-note">{r.declineReason}</span>} />
      ) : null}
      <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('referral.fields.patient')}>
          {r.person.name} <Typography.Text type="secondary" className="mono">{r.person.idNumber}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('referral.fields.state')}>
          <Space size={4} wrap>
            <Tag color={r.direction === 'up' ? 'volcano' : 'geekblue'}>{t(`referral.direction.${r.direction}`)}</Tag>
            <ReferralStateTag state={r.status} direction={r.direction} />
            <UrgencyTag urgency={r.urgency} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('referral.fields.from')}>
          {r.from.institution.name}
          {r.from.team ? ` · ${r.from.team.name}` : ''}
          {r.from.by ? <Typography.Text type="secondary"> · {r.from.by}</Typography.Text> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('referral.fields.to')}>{r.to.institution?.name ?? r.to.team?.name ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('referral.fields.department')}>{r.department ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('referral.fields.requestedAt')}>
          <span className="mono">{formatDateTime(r.requestedAt)}</span>
        </Descriptions.Item>
        {r.direction === 'up' ? (
          <>
            <Descriptions.Item label={t('referral.fields.appointment')}>
              <span data-testid="referral-appointment">
                {r.appointment ? `${r.appointment.date}${r.appointment.department ? ` · ${r.appointment.department}` : ''}` : r.requestedDate ? `${r.requestedDate}（${t('referral.fields.requestedDate')}）` : none}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('referral.fields.waiting')}>
              <Waiting item={r} />
            </Descriptions.Item>
            <Descriptions.Item label={t('referral.priorities.title')} span={2}>
              <PriorityFlags given={r.priorities} />
            </Descriptions.Item>
          </>
        ) : null}
        {r.reason ? (
          <Descriptions.Item label={t('referral.fields.reason')} span={2}>
            {r.reason}
          </Descriptions.Item>
        ) : null}
        {r.clinicalSummary ? (
          <Descriptions.Item label={t('referral.fields.summary')} span={2}>
            <span className="ref-pre">{r.clinicalSummary}</span>
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      {r.direction === 'up' ? (
        <div className="ref-detail__section" data-testid="referral-prescriptions">
          <Typography.Text strong>{t('referral.fields.prescriptions')}</Typography.Text>
          {r.prescriptions.length ? (
            r.prescriptions.map((p, i) => (
              <div key={`${p.prescriptionNo ?? p.source}-${i}`} className="ref-detail__rx">
                <Typography.Text type="secondary">
                  {p.source === 'continuous' ? t('referral.form.continuous') : <span className="mono">{p.prescriptionNo}</span>}
                  {p.writtenOn ? ` · ${p.writtenOn}` : ''}
                </Typography.Text>
                <Lines lines={p.lines} testId="referral-attached-line" />
              </div>
            ))
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('referral.form.noPrescriptions')} />
          )}
        </div>
      ) : null}

      {d ? (
        <div className="ref-detail__section" data-testid="referral-discharge">
          <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('referral.fields.dischargeDate')}>
              <span className="mono">{d.date}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('referral.fields.dueDate')}>
              <FollowUpDue discharge={d} today={todayIso()} />
            </Descriptions.Item>
            <Descriptions.Item label={t('referral.fields.dischargeSummary')} span={2}>
              <span className="ref-pre">{d.summary}</span>
            </Descriptions.Item>
            {d.sourcePrescriptionNo ? (
              <Descriptions.Item label={t('referral.fields.sourceNo')} span={2}>
                <span className="mono">{d.sourcePrescriptionNo}</span>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Text strong>{t('referral.fields.continueLines')}</Typography.Text>
          {d.continueLines.length ? <Lines lines={d.continueLines} testId="referral-continue-line" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        </div>
      ) : null}

      <div className="ref-detail__section" data-testid="referral-history">
        <Typography.Text strong>{t('referral.detail.history')}</Typography.Text>
        {r.history.length ? (
          <Timeline
            items={r.history.map((h) => ({
              color: h.to === 'declined' || h.to === 'expired' ? 'red' : h.to === 'completed' ? 'green' : 'blue',
              content: (
                <div data-testid="referral-history-entry" data-to={h.to} data-action={h.action}>
                  {h.from ? (
                    <>
                      <ReferralStateTag state={h.from} direction={r.direction} /> →{' '}
                    </>
                  ) : null}
                  <ReferralStateTag state={h.to} direction={r.direction} />
                  <Typography.Text type="secondary">
                    {formatDateTime(h.at)}
                    {h.by ? ` · ${h.by}` : ''}
                  </Typography.Text>
                  {h.reason ? <div>{h.reason}</div> : null}
                </div>
              ),
            }))}
          />
        ) : (
          <Typography.Paragraph type="secondary">{t('referral.detail.noHistory')}</Typography.Paragraph>
        )}
      </div>
    </div>
  );
}

export default function ReferralDetailDrawer({
  id,
  role,
  onClose,
  onReferDown,
  onExtended,
}: {
  id: string | null;
  role: ReferralRole;
  onClose: () => void;
  onReferDown?: (r: ReferralItem) => void;
  onExtended?: (prescriptionId: string) => void;
}) {
  const { t } = useTranslation();
  const detail = useReferral(id);
  const r = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={880}
      title={r ? `${t('referral.detail.title')} · ${r.referralNo}` : t('referral.detail.title')}
      extra={r ? <ReferralActions r={r} role={role} size="middle" onReferDown={onReferDown} onExtended={onExtended} /> : null}
      destroyOnHidden
      data-testid="referral-detail-drawer"
    >
      {detail.isError ? <Alert type="error" showIcon title={errorLines(detail.error).join('；')} /> : null}
      {r ? <ReferralBody r={r} /> : detail.isError ? null : <Skeleton active paragraph={{ rows: 6 }} />}
    </Drawer>
  );
}
