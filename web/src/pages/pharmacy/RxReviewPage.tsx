// 审方 (/rx-review): the county's submitted prescriptions, oldest first, with the pre-check's blocking
// and warning counts; opening one runs the pre-check (POST …/review) and shows the patient, the lines and
// each finding with its evidence and reference; 审核通过 — a blocking finding needs a recorded override
// (干预) reason — or 退回 with the reason the doctor sees.
import { CheckOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Empty, Form, Input, Modal, Skeleton, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { applyServerErrors } from '../../formErrors.ts';
import { drugName as drugLabel, formatDateTime } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { useCounterDrugs } from '../../components/counter/api.ts';
import FindingsList from '../../components/pharmacy/FindingsList.tsx';
import { FillPlaceText, RxLinesTable, RxStatusTag } from '../../components/pharmacy/parts.tsx';
import {
  type Finding,
  type Prescription,
  type ReviewQueueItem,
  hasRule,
  pharmacyErrorLines,
  pharmacyRuleText,
  useOpenReview,
  useReviewDecision,
  useReviewQueue,
} from '../../components/pharmacy/api.ts';
import '../../components/pharmacy/pharmacy.css';

export default function RxReviewPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const openId = params.get('rx');
  const queue = useReviewQueue();

  const columns: TableColumnsType<ReviewQueueItem> = [
    { title: t('pharmacy.fields.prescriptionNo'), dataIndex: 'prescriptionNo', render: (no: string) => <span className="mono">{no}</span> },
    {
      title: t('pharmacy.fields.patient'),
      key: 'person',
      render: (_: unknown, r) => (
        <div>
          <Typography.Link strong>{r.personName}</Typography.Link>
          <div className="mono rx-muted">{r.idNumber}</div>
        </div>
      ),
    },
    {
      title: t('pharmacy.fields.prescriber'),
      key: 'prescriber',
      render: (_: unknown, r) => (
        <div>
          <div>{r.institution}</div>
          <div className="rx-muted">{r.doctor}</div>
        </div>
      ),
    },
    { title: t('pharmacy.fields.writtenOn'), dataIndex: 'writtenOn', render: (d: string) => <span className="mono rx-nowrap">{d}</span> },
    { title: t('pharmacy.fields.daysSupply'), dataIndex: 'daysSupply', align: 'right', render: (d: number) => t('rx.daysValue', { days: d }) },
    { title: t('pharmacy.fields.fillPlace'), dataIndex: 'fillPlace', render: (p: ReviewQueueItem['fillPlace']) => t(`pharmacy.fillPlace.${p}`) },
    {
      title: t('pharmacy.fields.submittedAt'),
      dataIndex: 'submittedAt',
      render: (at: string) => (
        <div>
          <div className="mono rx-nowrap">{formatDateTime(at)}</div>
          <div className="rx-muted">{t('pharmacy.review.waited', { hours: Math.max(0, dayjs().diff(dayjs(at), 'hour')) })}</div>
        </div>
      ),
    },
    {
      title: t('pharmacy.fields.findings'),
      key: 'findings',
      render: (_: unknown, r) =>
        r.status === 'submitted' && r.blocking + r.warnings === 0 ? (
          <span className="rx-muted">{t('pharmacy.review.notChecked')}</span>
        ) : (
          <Space size={4}>
            <Tag color={r.blocking ? 'red' : 'default'} data-testid="queue-blocking" data-count={r.blocking}>
              {t('pharmacy.review.blockingN', { count: r.blocking })}
            </Tag>
            <Tag color={r.warnings ? 'gold' : 'default'} data-testid="queue-warnings" data-count={r.warnings}>
              {t('pharmacy.review.warningsN', { count: r.warnings })}
            </Tag>
          </Space>
        ),
    },
    {
      title: t('pharmacy.fields.status'),
      key: 'status',
      render: (_: unknown, r) => (
        <div>
          <RxStatusTag status={r.status} />
          {r.reviewer ? <div className="rx-muted">{r.reviewer}</div> : null}
        </div>
      ),
    },
  ];

  return (
    <div className="page-stack">
      <Card
        title={
          <Typography.Title level={4} className="page-title">
            {t('pharmacy.review.title')}
          </Typography.Title>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} loading={queue.isFetching} data-testid="rx-review-refresh">
            {t('pharmacy.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('pharmacy.review.hint')}</Typography.Paragraph>
        {queue.isError ? <Alert type="error" showIcon title={pharmacyErrorLines(queue.error).join('；')} /> : null}
        <Table<ReviewQueueItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={queue.data?.items ?? []}
          loading={queue.isPending}
          pagination={false}
          data-testid="rx-review-queue"
          rowClassName={() => 'row-clickable'}
          onRow={(r) => ({ onClick: () => update({ rx: r.id }), 'data-testid': 'rx-review-row', 'data-rx-id': r.id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.review.empty')} /> }}
          footer={queue.data && queue.data.total > queue.data.items.length ? () => t('pharmacy.review.more', { shown: queue.data.items.length, total: queue.data.total }) : undefined}
        />
      </Card>
      <Drawer
        open={openId !== null}
        onClose={() => update({ rx: null })}
        size={1040}
        destroyOnHidden
        title={t('pharmacy.review.drawerTitle')}
        data-testid="rx-review-drawer"
      >
        {openId ? <ReviewPanel key={openId} id={openId} onDone={() => update({ rx: null })} /> : null}
      </Drawer>
    </div>
  );
}

interface ApproveValues {
  overrideReason?: string;
  note?: string;
}

function ReviewPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const opened = useOpenReview(id);
  const drugs = useCounterDrugs();
  const decide = useReviewDecision();
  const [form] = Form.useForm<ApproveValues>();
  const [alert, setAlert] = useState<string[]>([]);
  const [returning, setReturning] = useState(false);
  // findings the server answered the approval with (the records may have changed since the opening)
  const [serverFindings, setServerFindings] = useState<string[] | null>(null);

  const byCode = useMemo(() => new Map((drugs.data ?? []).map((d) => [d.code, d])), [drugs.data]);
  const p: Prescription | undefined = opened.data?.prescription;
  const findings: Finding[] = opened.data?.findings ?? [];
  const lineByCode = new Map((p?.lines ?? []).map((l) => [l.drugCode, l]));
  const drugName = (code: string) => {
    const d = byCode.get(code);
    if (d) return drugLabel(d);
    const l = lineByCode.get(code);
    return l ? drugLabel({ genericNameZh: l.drugName, genericNameEn: l.drugNameEn }) : code;
  };
  const unitOf = (code: string) => byCode.get(code)?.unit ?? lineByCode.get(code)?.unit ?? '';
  const blocking = findings.filter((f) => f.severity === 'block');
  const needsOverride = blocking.length > 0 || serverFindings !== null;

  if (opened.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (opened.isError) return <Alert type="error" showIcon title={pharmacyErrorLines(opened.error).join('；')} data-testid="rx-review-error" />;
  if (!p) return null;

  const approve = async () => {
    let values: ApproveValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setAlert([]);
    try {
      const done = await decide.mutateAsync({ id, kind: 'approve', overrideReason: values.overrideReason?.trim(), note: values.note?.trim() });
      void message.success(t('pharmacy.review.approved', { no: done.prescriptionNo }));
      onDone();
    } catch (error) {
      if (hasRule(error, 'blocking_findings') && error instanceof ApiError) {
        const lines = (error.problem.errors ?? []).filter((e) => e.rule !== 'blocking_findings').map((e) => pharmacyRuleText(e.rule, e.message));
        setServerFindings(lines);
        form.setFields([{ name: 'overrideReason', errors: [t('pharmacy.review.overrideNeeded'), ...lines] }]);
        return;
      }
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? pharmacyErrorLines(error) : []);
    }
  };

  return (
    <div className="page-stack rx-review" data-testid="rx-review-panel" data-status={p.status} data-rx-id={p.id}>
      <Descriptions size="small" bordered column={3} className="rx-desc">
        <Descriptions.Item label={t('pharmacy.fields.patient')}>
          <span data-testid="rx-patient-name">{p.person.name}</span>
          <span className="rx-muted">
            {' '}
            {t(`person.sex.${p.person.sex}`, { defaultValue: p.person.sex })} · {t(`person.insurance.${p.person.insuranceType}`, { defaultValue: p.person.insuranceType })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('person.fields.idNumber')}>
          <span className="mono">{p.person.idNumber}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.status')}>
          <RxStatusTag status={p.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.prescriptionNo')}>
          <span className="mono" data-testid="rx-number">
            {p.prescriptionNo}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.prescriber')}>
          {p.institution.name} · {p.doctor}
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.writtenOn')}>
          <span className="mono">{p.writtenOn}</span> · {t(`pharmacy.origin.${p.origin}`, { defaultValue: p.origin })}
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.fillPlace')} span={2}>
          <FillPlaceText p={p} />
        </Descriptions.Item>
        <Descriptions.Item label={t('pharmacy.fields.daysSupply')}>{t('rx.daysValue', { days: p.daysSupply })}</Descriptions.Item>
        {p.stableReason ? (
          <Descriptions.Item label={t('pharmacy.fields.stableReason')} span={3}>
            {p.stableReason}
          </Descriptions.Item>
        ) : null}
        {p.source ? (
          <Descriptions.Item label={t('pharmacy.fields.source')} span={3}>
            <span className="mono">{p.source.prescriptionNo}</span> · {p.source.institution?.name ?? '—'}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <RxLinesTable lines={p.lines} drugName={drugName} />

      <section>
        <Typography.Title level={5}>
          {t('pharmacy.review.findingsTitle')}{' '}
          <Tag color={blocking.length ? 'red' : 'default'}>{t('pharmacy.review.blockingN', { count: blocking.length })}</Tag>
          <Tag color={findings.length - blocking.length ? 'gold' : 'default'}>{t('pharmacy.review.warningsN', { count: findings.length - blocking.length })}</Tag>
        </Typography.Title>
        <FindingsList findings={findings} drugName={drugName} unitOf={unitOf} />
      </section>

      {p.status === 'submitted' || p.status === 'under_review' ? (
        <Card size="small" title={t('pharmacy.review.decision')} className="rx-decision">
          {alert.length ? <Alert type="error" showIcon title={alert.join('；')} data-testid="rx-review-alert" className="rx-gap" /> : null}
          <Form form={form} layout="vertical" onFieldsChange={() => alert.length && setAlert([])}>
            <Form.Item
              name="overrideReason"
              label={t('pharmacy.review.overrideReason')}
              required={needsOverride}
              extra={needsOverride ? t('pharmacy.review.overrideHint') : t('pharmacy.review.overrideOptional')}
              rules={needsOverride ? [{ required: true, whitespace: true, min: 2, message: t('pharmacy.review.overrideNeeded') }] : [{ whitespace: true, min: 2, message: t('pharmacy.review.min2') }]}
            >
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="rx-override-reason" />
            </Form.Item>
            <Form.Item name="note" label={t('pharmacy.review.note')}>
              <Input.TextArea rows={1} maxLength={500} data-testid="rx-review-note" />
            </Form.Item>
            <Space>
              <Button type="primary" icon={<CheckOutlined />} onClick={() => void approve()} loading={decide.isPending && decide.variables?.kind === 'approve'} data-testid="rx-approve">
                {t('pharmacy.review.approve')}
              </Button>
              <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="rx-return">
                {t('pharmacy.review.return')}
              </Button>
            </Space>
          </Form>
        </Card>
      ) : (
        <Alert type="info" showIcon title={t('pharmacy.review.decided')} />
      )}
      <ReturnModal open={returning} id={id} onClose={(done) => (setReturning(false), done ? onDone() : undefined)} />
    </div>
  );
}

function ReturnModal({ open, id, onClose }: { open: boolean; id: string; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const decide = useReviewDecision();
  const [alert, setAlert] = useState<string[]>([]);
  const submit = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      await decide.mutateAsync({ id, kind: 'return', reason: values.reason.trim() });
      void message.success(t('pharmacy.review.returned'));
      onClose(true);
    } catch (error) {
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? pharmacyErrorLines(error) : []);
    }
  };
  return (
    <Modal
      open={open}
      title={t('pharmacy.review.returnTitle')}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      okText={t('pharmacy.review.return')}
      okButtonProps={{ danger: true, loading: decide.isPending, 'data-testid': 'rx-return-confirm' }}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} className="rx-gap" /> : null}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('pharmacy.review.returnReason')}
          extra={t('pharmacy.review.returnHint')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('pharmacy.review.returnReasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="rx-return-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
