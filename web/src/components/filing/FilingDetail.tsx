// One filing as the reviewer (and the doctor) reads it: who, what kind, the diagnosis basis per
// disease, the prescription, what changes (before → after), and every transition so far.
import { ArrowRightOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, useDiseaseName } from '../../format.ts';
import type { BpReading, DiagnosisBasis, FilingView, PrescriptionLine } from '../../types.ts';
import { FilingDiseaseTag, FilingKindTag, FilingStatusTag } from '../labels.tsx';
import PrescriptionTable, { lineKey } from './PrescriptionTable.tsx';
import { AttachmentList } from './Attachments.tsx';
import { RequestedTags, ReturnReason, useReturnReasonText } from './ReturnReason.tsx';

const raisedBp = (r: BpReading) => r.systolic >= 140 || r.diastolic >= 90;

function BasisView({ basis }: { basis: DiagnosisBasis | null }) {
  const { t } = useTranslation();
  if (!basis) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  if (basis.type === 'bp_readings') {
    const days = new Set(basis.readings.filter(raisedBp).map((r) => r.date)).size;
    return (
      <div>
        <Table<BpReading>
          size="small"
          className="readings-table"
          rowKey={(r, i) => `${r.date}-${i}`}
          pagination={false}
          dataSource={basis.readings}
          data-testid="basis-readings"
          columns={[
            { title: t('filing.readingDate'), dataIndex: 'date', width: 120 },
            {
              title: t('filing.systolic'),
              dataIndex: 'systolic',
              align: 'right',
              render: (v: number) => <span className={v >= 140 ? 'value-raised' : undefined}>{v}</span>,
            },
            {
              title: t('filing.diastolic'),
              dataIndex: 'diastolic',
              align: 'right',
              render: (v: number) => <span className={v >= 90 ? 'value-raised' : undefined}>{v}</span>,
            },
            { title: '', key: 'unit', width: 64, render: () => <Typography.Text type="secondary">mmHg</Typography.Text> },
          ]}
        />
        <Typography.Text type={days >= 3 ? 'success' : 'danger'} className="reading-count">
          {t('filing.raisedDays', { days })}
        </Typography.Text>
      </div>
    );
  }
  if (basis.type === 'glucose') {
    return (
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'date', label: t('filing.testDate'), children: basis.date },
          {
            key: 'fpg',
            label: t('filing.fastingGlucose'),
            children:
              basis.fastingGlucose != null ? (
                <span className={basis.fastingGlucose >= 7 ? 'value-raised' : undefined}>{basis.fastingGlucose.toFixed(1)} mmol/L</span>
              ) : (
                t('common.none')
              ),
          },
          {
            key: 'hba1c',
            label: t('filing.hba1c'),
            children:
              basis.hba1c != null ? (
                <span className={basis.hba1c >= 6.5 ? 'value-raised' : undefined}>{basis.hba1c.toFixed(1)} %</span>
              ) : (
                t('common.none')
              ),
          },
        ]}
      />
    );
  }
  return (
    <Descriptions
      size="small"
      column={2}
      items={[
        { key: 'inst', label: t('filing.hospital'), children: basis.institutionName },
        { key: 'date', label: t('filing.hospitalDate'), children: basis.date },
      ]}
    />
  );
}

/**
 * Registrations in force before the filing. A disease the filing keeps or removes is registered by
 * definition, so it is shown even when the server's list leaves it out.
 */
function registrationsBefore(f: FilingView) {
  const before = f.before.registrations.map((r) => ({ code: r.disease, name: r.name, effectiveFrom: r.effectiveFrom as string | null }));
  if (f.status !== 'approved')
    for (const d of f.diseases)
      if (d.action !== 'add' && !before.some((b) => b.code === d.code)) before.push({ code: d.code, name: d.name, effectiveFrom: null });
  return before;
}

/** Registrations once the filing is approved; a progression marks the disease it keeps. */
function registrationsAfter(f: FilingView) {
  if (f.kind === 'revocation') return [];
  const after = registrationsBefore(f).map((r) => ({ code: r.code, name: r.name, mark: null as null | 'added' | 'kept' }));
  for (const d of f.diseases) {
    const i = after.findIndex((a) => a.code === d.code);
    if (d.action === 'remove' && i >= 0) after.splice(i, 1);
    if (d.action === 'add' && i < 0) after.push({ code: d.code, name: d.name, mark: 'added' });
    if (d.action === 'keep' && i >= 0 && f.changeReason === 'progression') after[i] = { ...after[i], mark: 'kept' };
  }
  return after;
}

type LineChange = 'added' | 'removed' | 'same';

function BeforeAfter({ filing }: { filing: FilingView }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const beforeRegs = registrationsBefore(filing);
  const removed = new Set(
    filing.kind === 'revocation' ? beforeRegs.map((r) => r.code) : filing.diseases.filter((d) => d.action === 'remove').map((d) => d.code),
  );
  const after = registrationsAfter(filing);
  const approved = filing.status === 'approved';
  // a filing with lines replaces the prescription; one that leaves no disease ends it
  const replaces = filing.prescription.length > 0 || filing.kind === 'revocation' || after.length === 0;
  const before = approved ? [] : filing.before.prescription;
  const afterLines = replaces ? filing.prescription : before;
  const beforeKeys = new Set(before.map(lineKey));
  const afterKeys = new Set(afterLines.map(lineKey));
  const rows: Array<PrescriptionLine & { change: LineChange }> = [
    ...afterLines.map((l) => ({ ...l, change: (beforeKeys.has(lineKey(l)) || approved ? 'same' : 'added') as LineChange })),
    ...before.filter((l) => !afterKeys.has(lineKey(l))).map((l) => ({ ...l, change: 'removed' as LineChange })),
  ];

  return (
    <div className="before-after" data-testid="before-after">
      <div className="before-after__row">
        <span className="before-after__label">{t('filing.registrationsRow')}</span>
        <Space size={[4, 4]} wrap data-testid="before-registrations">
          {beforeRegs.length ? (
            beforeRegs.map((r) => (
              <Tag key={r.code} color={removed.has(r.code) ? 'red' : 'default'} className={removed.has(r.code) ? 'tag-struck' : undefined}>
                {diseaseName(r.code, r.name)}
                {r.effectiveFrom ? <span className="tag-meta">{t('diff.since', { date: r.effectiveFrom })}</span> : null}
              </Tag>
            ))
          ) : (
            <Typography.Text type="secondary">{t('diff.noRegistration')}</Typography.Text>
          )}
        </Space>
        <ArrowRightOutlined className="before-after__arrow" />
        <Space size={[4, 4]} wrap data-testid="after-registrations">
          {after.length ? (
            after.map((r) => (
              <Tag key={r.code} color={r.mark === 'added' ? 'green' : r.mark === 'kept' ? 'blue' : 'default'}>
                {diseaseName(r.code, r.name)}
                {r.mark ? <span className="tag-meta">{t(`diff.${r.mark}`)}</span> : null}
              </Tag>
            ))
          ) : (
            <Typography.Text type="secondary">{t('diff.noRegistration')}</Typography.Text>
          )}
          {approved && filing.effectiveDate ? (
            <Typography.Text type="secondary">{t('diff.since', { date: filing.effectiveDate })}</Typography.Text>
          ) : null}
        </Space>
      </div>
      <div className="before-after__rx">
        <span className="before-after__label">
          {t('filing.prescriptionTitle')}
          {!replaces ? <Tag className="tag-gap">{t('filing.prescriptionUnchangedShort')}</Tag> : null}
        </span>
        <PrescriptionTable
          lines={rows}
          highlight={new Set(rows.filter((r) => r.change === 'added').map(lineKey))}
          strike={new Set(rows.filter((r) => r.change === 'removed').map(lineKey))}
          testId="after-prescription"
        />
      </div>
    </div>
  );
}

/** What a transition did, as a verb: 提交, 重新提交, 退回, 通过, 撤回. */
function eventVerb(from: string | null, to: string): string {
  if (to === 'submitted') return from === 'returned' ? 'resubmit' : 'submit';
  return { returned: 'return', approved: 'approve', withdrawn: 'withdraw' }[to] ?? to;
}

export function FilingHistory({ filing }: { filing: FilingView }) {
  const { t } = useTranslation();
  const colour: Record<string, string> = { submitted: 'blue', returned: 'red', approved: 'green', withdrawn: 'gray' };
  const reasonText = useReturnReasonText();
  return (
    <Timeline
      className="compact-timeline"
      data-testid="filing-history"
      items={filing.history.map((h) => ({
        color: colour[h.to] ?? 'gray',
        content: (
          <div data-testid="filing-event" data-to={h.to}>
            <Typography.Text strong>{t(`filingEvent.${eventVerb(h.from, h.to)}`, { defaultValue: h.to })}</Typography.Text>
            <Typography.Text type="secondary" className="timeline-meta">
              {formatDateTime(h.at)}
              {h.by ? ` · ${h.by}` : ''}
              {h.role ? ` (${t(`roles.${h.role}`, { defaultValue: h.role })})` : ''}
            </Typography.Text>
            {/* the server's note on a resubmission says what the verb already says */}
            {h.to === 'returned' && (h.reason || h.reasonCode) ? <div className="timeline-reason">{reasonText(h.reasonCode, h.reason)}</div> : null}
            {h.to !== 'returned' && h.reason && h.reason !== 'resubmitted after correction' ? <div className="timeline-reason">{h.reason}</div> : null}
            {h.requestedAttachments.length ? <RequestedTags kinds={h.requestedAttachments} /> : null}
            {h.attachments.length ? (
              <div className="timeline-reason">
                {t('evidence.add')}：{h.attachments.map((k) => t(`evidence.kinds.${k}`)).join('、')}
              </div>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

export default function FilingDetail({ filing }: { filing: FilingView }) {
  const { t } = useTranslation();
  const withBasis = filing.diseases.filter((d) => d.action !== 'remove' && d.basis);
  return (
    <div className="filing-detail" data-testid="filing-detail" data-filing-id={filing.id} data-status={filing.status}>
      {filing.status === 'returned' ? <ReturnReason filing={filing} /> : null}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2, xl: 3 }}
        className="filing-detail__head"
        items={[
          {
            key: 'person',
            label: t('person.fields.name'),
            children: (
              <span data-testid="filing-person">
                <Typography.Text strong>{filing.person.name}</Typography.Text>{' '}
                {t(`person.sex.${filing.person.sex}`)} · {t('person.ageValue', { age: filing.person.age })}
              </span>
            ),
          },
          { key: 'id', label: t('person.fields.idNumber'), children: <span className="mono">{filing.person.idNumber}</span> },
          {
            key: 'ins',
            label: t('person.fields.insuranceType'),
            children: filing.person.insuranceType ? t(`person.insurance.${filing.person.insuranceType}`) : t('common.none'),
          },
          { key: 'team', label: t('contract.team'), children: filing.team.name },
          {
            key: 'kind',
            label: t('filing.kind'),
            children: <FilingKindTag kind={filing.kind} changeReason={filing.changeReason} revocationReason={filing.revocationReason} />,
          },
          ...(filing.deathDate ? [{ key: 'death', label: t('filing.deathDate'), children: filing.deathDate }] : []),
          { key: 'status', label: t('filing.status'), children: <FilingStatusTag status={filing.status} /> },
          {
            key: 'submitted',
            label: t('filing.submittedAt'),
            children: `${formatDateTime(filing.submittedAt)}${filing.filedBy ? ` · ${filing.filedBy}` : ''}`,
          },
          ...(filing.status === 'approved'
            ? [
                {
                  key: 'effective',
                  label: t('filing.effectiveDate'),
                  children: (
                    <span data-testid="filing-effective-date">
                      {filing.effectiveDate}
                      {filing.confirmation ? <Tag className="tag-gap">{t(`confirmation.${filing.confirmation}`)}</Tag> : null}
                    </span>
                  ),
                },
              ]
            : []),
          {
            key: 'diseases',
            label: t('filing.diseases'),
            children: (
              <Space size={[4, 4]} wrap>
                {filing.diseases.map((d) => (
                  <FilingDiseaseTag key={d.code} code={d.code} name={d.name} action={d.action} />
                ))}
              </Space>
            ),
          },
          ...(filing.note ? [{ key: 'note', label: t('filing.note'), span: 'filled' as const, children: filing.note }] : []),
        ]}
      />

      <Typography.Title level={5} className="form-section-title">
        {t('filing.beforeAfter')}
      </Typography.Title>
      <BeforeAfter filing={filing} />

      {withBasis.length ? (
        <>
          <Typography.Title level={5} className="form-section-title">
            {t('filing.basisTitle')}
          </Typography.Title>
          <div className="basis-cards">
            {withBasis.map((d) => (
              <Card
                key={d.code}
                size="small"
                data-testid={`basis-view-${d.code}`}
                title={
                  <Space size={8}>
                    <FilingDiseaseTag code={d.code} name={d.name} action={d.action} />
                    {d.basis ? <Tag>{t(`basisType.${d.basis.type}`)}</Tag> : null}
                  </Space>
                }
                extra={
                  d.diagnosedOn ? (
                    <Typography.Text type="secondary">{t('filing.diagnosedOnValue', { date: d.diagnosedOn })}</Typography.Text>
                  ) : null
                }
              >
                <BasisView basis={d.basis} />
              </Card>
            ))}
          </div>
        </>
      ) : null}

      <Typography.Title level={5} className="form-section-title">
        {t('evidence.title')}
      </Typography.Title>
      <AttachmentList attachments={filing.attachments} />

      <Typography.Title level={5} className="form-section-title">
        {t('filing.historyTitle')}
      </Typography.Title>
      {filing.history.length ? <FilingHistory filing={filing} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
    </div>
  );
}
