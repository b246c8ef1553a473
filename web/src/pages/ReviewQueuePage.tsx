// 审核队列 (insurance reviewer): the county's submitted filings, oldest first, with ageing; filters;
// batch approval of the selected rows; a detail drawer with the diagnosis basis, the prescription,
// the before → after of a change and the history, and the decision: 通过 with an effective date, or
// 退回 with a reason the doctor sees.
import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Segmented,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import FilingDetail from '../components/filing/FilingDetail.tsx';
import { AgeDaysTag, FilingStatusTag } from '../components/labels.tsx';
import { actionErrorLines, applyServerErrors, ruleMessage } from '../formErrors.ts';
import { ISO_DATE, formatDateTime, toIsoDate } from '../format.ts';
import {
  ATTACHMENT_KINDS,
  RETURN_REASON_CODES,
  type AttachmentKind,
  type BasisType,
  type BatchApproveResult,
  type FilingKind,
  type FilingStatus,
  type FilingSummary,
  type FilingView,
  type ReturnReasonCode,
} from '../types.ts';
import { RequestedTags, useReturnReasonText } from '../components/filing/ReturnReason.tsx';
import { pageOf, serverPagination, useUrlState } from '../hooks/urlState.ts';
import FilterBar, { DiseaseFilter } from '../components/FilterBar.tsx';
import { filingKindAndDiseaseColumns } from '../components/filing/columns.tsx';
import { usePagedList } from '../hooks/lists.ts';
import { PersonNameCell } from '../components/PersonCells.tsx';

const PAGE_SIZE = 50;
const STATUSES: FilingStatus[] = ['submitted', 'returned', 'approved'];
const KINDS: FilingKind[] = ['initial', 'change', 'revocation'];
const BASES: BasisType[] = ['bp_readings', 'glucose', 'hospital_diagnosis'];

interface DecisionValues {
  effectiveDate?: Dayjs;
  reasonCode?: ReturnReasonCode;
  reason?: string;
  requestAttachments?: AttachmentKind[];
}

type Decision =
  | { kind: 'approve'; ids: string[]; names: string[]; batch: boolean }
  | { kind: 'return'; id: string; name: string };

/** 通过 (one or many, with an effective date) or 退回 (with a reason). New `key` per opening. */
function DecisionModal({ decision, onClose }: { decision: Decision | null; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<DecisionValues>();
  const reasonCode: ReturnReasonCode | undefined = Form.useWatch('reasonCode', form);
  const [alert, setAlert] = useState<string[]>([]);

  const refresh = () => {
    for (const key of ['filings', 'team', 'eligibility', 'people']) void client.invalidateQueries({ queryKey: [key] });
  };

  const save = useMutation({
    mutationFn: async (v: DecisionValues) => {
      if (decision!.kind === 'return') {
        const reason = (v.reason ?? '').trim();
        return api<FilingView>(`/api/filings/${decision!.id}/return`, {
          method: 'POST',
          body: { reasonCode: v.reasonCode, ...(reason ? { reason } : {}), ...(v.requestAttachments?.length ? { requestAttachments: v.requestAttachments } : {}) },
        });
      }
      const effectiveDate = toIsoDate(v.effectiveDate);
      if (!decision!.batch)
        return api<FilingView>(`/api/filings/${decision!.ids[0]}/approve`, { method: 'POST', body: { effectiveDate } });
      return api<BatchApproveResult>('/api/filings/approve', { method: 'POST', body: { ids: decision!.ids, effectiveDate } });
    },
    meta: { silent: true },
    onSuccess: (result) => {
      refresh();
      if (decision!.kind === 'return') void message.success(t('review.returned', { name: decision!.name }));
      else if ('results' in result) {
        const failed = result.results.filter((r) => !r.ok);
        const ok = result.results.length - failed.length;
        if (failed.length === 0) void message.success(t('review.batchApproved', { count: ok }));
        else {
          const names = new Map(decision!.ids.map((id, i) => [id, (decision as { names: string[] }).names[i]]));
          modal.warning({
            title: t('review.batchPartial', { ok, failed: failed.length }),
            content: (
              <List
                size="small"
                dataSource={failed}
                renderItem={(r) => (
                  <List.Item>
                    <Typography.Text strong>{names.get(r.id)}</Typography.Text>：
                    {r.error?.errors?.length
                      ? r.error.errors.map((e) => ruleMessage(e.rule, e.message)).join('；')
                      : r.error?.detail}
                  </List.Item>
                )}
              />
            ),
          });
        }
      } else void message.success(t('review.approved', { name: result.person.name }));
      onClose(true);
    },
    onError: (error) => setAlert(applyServerErrors(form, error).unplaced),
  });

  const approving = decision?.kind === 'approve';
  return (
    <Modal
      open={decision !== null}
      title={
        decision
          ? approving
            ? decision.batch
              ? t('review.batchApproveTitle', { count: decision.ids.length })
              : t('review.approveTitle', { name: decision.names[0] })
            : t('review.returnTitle', { name: decision.name })
          : null
      }
      okText={approving ? t('review.approve') : t('review.return')}
      okButtonProps={{ danger: !approving, 'data-testid': 'decision-submit' }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
      <Form form={form} layout="vertical" initialValues={{ effectiveDate: dayjs().startOf('day') }} onFinish={(v) => save.mutate(v)}>
        {approving ? (
          <>
            {decision.batch ? (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
                {decision.names.join('、')}
              </Typography.Paragraph>
            ) : null}
            <Form.Item
              name="effectiveDate"
              label={t('review.effectiveDate')}
              extra={t('review.effectiveDateHint')}
              rules={[{ required: true, message: t('filing.dateRequired') }]}
            >
              <DatePicker format={ISO_DATE} allowClear={false} data-testid="effective-date" />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="reasonCode" label={t('evidence.returnPreset')}>
              <Select
                allowClear
                placeholder={t('evidence.returnPresetRequired')}
                options={RETURN_REASON_CODES.map((c) => ({ value: c, label: t(`returnReasons.${c}`) }))}
                onChange={(c: ReturnReasonCode) => {
                  // a missing certificate is, most of the time, a request for one
                  if (c === 'missing_certificate' && !(form.getFieldValue('requestAttachments') ?? []).length)
                    form.setFieldValue('requestAttachments', ['diagnosis_certificate']);
                }}
                data-testid="return-reason-code"
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('evidence.returnText')}
              rules={[
                // a preset may stand alone; without one, or with 其他, the words are the reason
                { required: !reasonCode || reasonCode === 'other', whitespace: true, message: t('evidence.returnTextRequired') },
                { min: 2, message: t('evidence.returnTextRequired') },
              ]}
              extra={t('evidence.returnTextHint')}
            >
              <Input.TextArea rows={3} maxLength={500} showCount data-testid="return-reason" />
            </Form.Item>
            <Form.Item name="requestAttachments" label={t('evidence.requestAttachments')} extra={t('evidence.requestAttachmentsHint')}>
              <Checkbox.Group
                options={ATTACHMENT_KINDS.map((k) => ({ value: k, label: <span data-testid={`request-${k}`}>{t(`evidence.kinds.${k}`)}</span> }))}
                data-testid="return-request"
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as FilingStatus) : 'submitted';
  const kind = (params.get('kind') as FilingKind | null) ?? undefined;
  const disease = params.get('disease') ?? undefined;
  const minAgeDays = params.get('minAge') ? Number(params.get('minAge')) : undefined;
  const q = (params.get('q') ?? '').trim();
  const institutionId = params.get('institution') ?? undefined;
  const teamId = params.get('team') ?? undefined;
  const basis = (BASES as string[]).includes(params.get('basis') ?? '') ? (params.get('basis') as BasisType) : undefined;
  const page = pageOf(params);
  const openId = params.get('filing');
  const [selected, setSelected] = useState<FilingSummary[]>([]);
  const reasonText = useReturnReasonText();
  // the county's teams with filings in this status, for the institution and team filters
  const teams = useQuery({
    queryKey: ['filings', 'teams', status],
    queryFn: ({ signal }) =>
      api<Array<{ team: { id: string; name: string }; institution: { id: string; name: string }; filings: number }>>('/api/filings/teams', { query: { status }, signal }),
  });
  const institutions = [...new Map((teams.data ?? []).map((x) => [x.institution.id, x.institution])).values()];
  const [decision, setDecision] = useState<Decision | null>(null);
  const [openings, setOpenings] = useState(0);

  const queue = usePagedList<FilingSummary>(
    '/api/filings',
    ['filings', 'queue'],
    { status, kind, disease, minAgeDays, q: q || undefined, institutionId, teamId, basis },
    page,
    PAGE_SIZE,
  );
  useEffect(() => setSelected([]), [status, kind, disease, minAgeDays, q, page, institutionId, teamId, basis]);

  const detail = useQuery({
    queryKey: ['filings', 'detail', openId],
    queryFn: ({ signal }) => api<FilingView>(`/api/filings/${openId}`, { signal }),
    enabled: openId !== null,
  });

  const decide = (d: Decision) => {
    setOpenings((n) => n + 1);
    setDecision(d);
  };

  const columns: TableColumnsType<FilingSummary> = [
    {
      title: t('person.fields.name'),
      key: 'person',
      render: (_, f) => (
        <PersonNameCell
          link={
            <Typography.Link strong onClick={() => update({ filing: f.id, page: String(page) })} data-testid="queue-person-link">
              {f.person.name}
            </Typography.Link>
          }
          sex={f.person.sex}
          age={f.person.age}
        />
      ),
    },
    { title: t('person.fields.idNumber'), key: 'id', render: (_, f) => <span className="mono">{f.person.idNumber}</span> },
    {
      title: t('review.team'),
      key: 'team',
      render: (_, f) => (
        <div>
          {f.team.name}
          <div className="cell-sub">{f.institution.name}</div>
        </div>
      ),
    },
    ...filingKindAndDiseaseColumns(t),
    { title: t('filing.submittedAt'), key: 'at', render: (_, f) => <span className="mono">{formatDateTime(f.submittedAt)}</span> },
    status === 'submitted'
      ? { title: t('review.age'), key: 'age', align: 'right', render: (_, f) => <AgeDaysTag days={f.ageDays} /> }
      : {
          title: t('filing.status'),
          key: 'status',
          render: (_, f) => (
            <div>
              <FilingStatusTag status={f.status} />
              {f.decisionReason || f.decisionReasonCode ? <div className="cell-sub">{reasonText(f.decisionReasonCode, f.decisionReason)}</div> : null}
              <RequestedTags kinds={f.requestedAttachments} />
            </div>
          ),
        },
  ];

  const opened = detail.data && detail.data.id === openId ? detail.data : undefined;

  return (
    <div className="page-stack">
      <Card
        className="list-card"
        title={
          <Space size={12}>
            <span>{t('review.title')}</span>
            <Segmented
              size="small"
              value={status}
              onChange={(v) => update({ status: v === 'submitted' ? null : String(v), filing: null })}
              options={STATUSES.map((s) => ({ value: s, label: t(`review.statusTabs.${s}`) }))}
              data-testid="queue-status"
            />
          </Space>
        }
        extra={
          status === 'submitted' ? (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={selected.length === 0}
              onClick={() => decide({ kind: 'approve', ids: selected.map((s) => s.id), names: selected.map((s) => s.person.name), batch: true })}
              data-testid="batch-approve"
            >
              {t('review.batchApprove', { count: selected.length })}
            </Button>
          ) : null
        }
      >
        <FilterBar query={q} onQuery={(query) => update({ q: query })} total={queue.data?.total} testId="queue-filter">
          <Select
            allowClear
            placeholder={t('filters.kind')}
            value={kind}
            onChange={(v) => update({ kind: v })}
            options={KINDS.map((k) => ({ value: k, label: t(`filingKind.${k}`) }))}
            className="filter-select"
            data-testid="queue-filter-kind"
          />
          <DiseaseFilter value={disease} onChange={(v) => update({ disease: v })} />
          <InputNumber
            min={0}
            max={3650}
            precision={0}
            placeholder={t('filters.minAge')}
            value={minAgeDays}
            onChange={(v) => update({ minAge: v == null ? null : String(v) })}
            suffix={t('review.days')}
            className="filter-number"
            data-testid="queue-filter-age"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('evidence.institution')}
            value={institutionId}
            onChange={(v) => update({ institution: v, team: null })}
            options={institutions.map((i) => ({ value: i.id, label: i.name }))}
            className="filter-select"
            style={{ width: 220 }}
            data-testid="queue-filter-institution"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('evidence.team')}
            value={teamId}
            onChange={(v) => update({ team: v })}
            options={(teams.data ?? [])
              .filter((x) => !institutionId || x.institution.id === institutionId)
              .map((x) => ({ value: x.team.id, label: `${x.team.name}（${x.filings}）` }))}
            className="filter-select"
            style={{ width: 220 }}
            data-testid="queue-filter-team"
          />
          <Select
            allowClear
            placeholder={t('evidence.basis')}
            value={basis}
            onChange={(v) => update({ basis: v })}
            options={BASES.map((b) => ({ value: b, label: t(`basisType.${b}`) }))}
            className="filter-select"
            data-testid="queue-filter-basis"
          />
        </FilterBar>
        <Table<FilingSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={queue.data?.items ?? []}
          loading={queue.isFetching}
          scroll={{ x: 'max-content' }}
          rowSelection={
            status === 'submitted'
              ? {
                  selectedRowKeys: selected.map((s) => s.id),
                  onChange: (_keys, rows) => setSelected(rows),
                }
              : undefined
          }
          rowClassName={(f) => (f.id === openId ? 'row-selected' : '')}
          onRow={(f) =>
            ({
              'data-testid': 'queue-row',
              'data-filing-id': f.id,
              'data-person-name': f.person.name,
            }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`review.empty.${status}`)} /> }}
          pagination={serverPagination(queue.data?.total, page, PAGE_SIZE, update)}
        />
      </Card>

      <Drawer
        open={openId !== null}
        size={1000}
        title={opened ? t('filing.detailTitle', { name: opened.person.name }) : t('filing.detail')}
        onClose={() => update({ filing: null, page: String(page) })}
        data-testid="review-drawer"
        footer={
          opened?.status === 'submitted' ? (
            <div className="drawer-footer">
              <Button
                danger
                icon={<RollbackOutlined />}
                onClick={() => decide({ kind: 'return', id: opened.id, name: opened.person.name })}
                data-testid="review-return"
              >
                {t('review.return')}
              </Button>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => decide({ kind: 'approve', ids: [opened.id], names: [opened.person.name], batch: false })}
                data-testid="review-approve"
              >
                {t('review.approve')}
              </Button>
            </div>
          ) : null
        }
      >
        {opened ? <FilingDetail filing={opened} /> : detail.isError ? <Alert type="error" title={actionErrorLines(detail.error).join('；')} /> : <Skeleton active />}
      </Drawer>

      <DecisionModal
        key={`decision-${openings}`}
        decision={decision}
        onClose={(done) => {
          setDecision(null);
          if (done) {
            setSelected([]);
            update({ filing: null, page: String(page) });
          }
        }}
      />
    </div>
  );
}
