// 抽样复核 (insurance reviewer): draws a random sample of the county's claims that the audit did not flag,
// for a period, by a rate (%) or a size; the sampled claims are marked 正确 or 差错 with the error amount,
// and the sample's error rate is carried over to the claims not sampled as a proposed deduction, in one
// line: 抽样差错率 × 未抽样金额 = 建议扣减 (src/engine/audit/sampling.ts). Closing the sample fixes it.
import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, DatePicker, Drawer, Empty, Form, InputNumber, Popconfirm, Segmented, Skeleton, Space, Table, type TableColumnsType, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines, applyServerErrors } from '../../formErrors.ts';
import { ISO_DATE, formatDateTime, toIsoDate, yuan } from '../../format.ts';
import { useOverlay } from '../../hooks/overlay.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { onFormFields } from '../../components/smartAudit/errors.ts';
import { bpOfPercent, percentOfBp } from '../../components/smartAudit/units.ts';
import SampleClaims, { type ErrorTarget } from '../../components/smartAudit/SampleClaims.tsx';
import SampleErrorModal from '../../components/smartAudit/SampleErrorModal.tsx';
import { type SampleDetail, type SampleSummary, useCloseSample, useDrawSample, useSample, useSamples } from '../../components/smartAudit/api.ts';
import '../../components/smartAudit/smartAudit.css';

type Mode = 'rate' | 'size';
interface DrawValues {
  period: [Dayjs, Dayjs];
  percent?: number;
  size?: number;
}


function DrawForm({ onDrawn }: { onDrawn: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<DrawValues>();
  const [mode, setMode] = useState<Mode>('rate');
  const [alert, setAlert] = useState<string[]>([]);
  const draw = useDrawSample();
  const lastMonth = dayjs().subtract(1, 'month');

  const submit = async (v: DrawValues) => {
    setAlert([]);
    try {
      const sample = await draw.mutateAsync({
        from: toIsoDate(v.period[0])!,
        to: toIsoDate(v.period[1])!,
        ...(mode === 'rate' ? { rateBp: bpOfPercent(v.percent ?? 0) } : { size: v.size ?? 0 }),
      });
      void message.success(t('smartAudit.samples.drawn', { count: sample.claims.length }));
      onDrawn(sample.id);
    } catch (error) {
      const { unplaced } = applyServerErrors(form, onFormFields(error, { from: 'period', to: 'period', rateBp: 'percent' }));
      setAlert(unplaced);
    }
  };

  return (
    <Card size="small" title={t('smartAudit.samples.drawTitle')} data-testid="sample-draw">
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="sample-draw-alert" /> : null}
      <Form
        form={form}
        layout="inline"
        className="sa-draw-form"
        initialValues={{ period: [lastMonth.startOf('month'), lastMonth.endOf('month')], percent: 5, size: 30 }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="period" label={t('smartAudit.samples.period')} rules={[{ required: true, message: t('smartAudit.samples.periodRequired') }]}>
          <DatePicker.RangePicker format={ISO_DATE} allowClear={false} data-testid="sample-period" />
        </Form.Item>
        <Form.Item label={t('smartAudit.samples.by')}>
          <Segmented
            value={mode}
            onChange={(v) => setMode(v as Mode)}
            options={[
              { value: 'rate', label: t('smartAudit.samples.byRate') },
              { value: 'size', label: t('smartAudit.samples.bySize') },
            ]}
            data-testid="sample-mode"
          />
        </Form.Item>
        {mode === 'rate' ? (
          <Form.Item name="percent" rules={[{ required: true, message: t('smartAudit.samples.rateRequired') }]}>
            <InputNumber min={0.01} max={100} precision={2} suffix="%" style={{ width: 130 }} data-testid="sample-rate" />
          </Form.Item>
        ) : (
          <Form.Item name="size" rules={[{ required: true, message: t('smartAudit.samples.sizeRequired') }]}>
            <InputNumber min={1} max={10_000} precision={0} suffix={t('smartAudit.samples.claimsUnit')} style={{ width: 130 }} data-testid="sample-size" />
          </Form.Item>
        )}
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<ExperimentOutlined />} loading={draw.isPending} data-testid="sample-draw-submit">
            {t('smartAudit.samples.draw')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" className="sa-hint">
        {t('smartAudit.samples.drawHint')}
      </Typography.Paragraph>
    </Card>
  );
}

/** 抽样差错率 × 未抽样金额 = 建议扣减, with the rate's own terms beneath it. */
export function ExtrapolationLine({ sample: x }: { sample: SampleSummary }) {
  const { t } = useTranslation();
  return (
    <Alert
      type={x.errorFen > 0 ? 'warning' : 'info'}
      showIcon
      data-testid="sample-extrapolation"
      data-rate-bp={x.errorRateBp ?? ''}
      data-proposed-fen={x.proposedDeductionFen}
      title={
        <span data-testid="sample-extrapolation-line">
          {x.errorRateBp === null
            ? t('smartAudit.samples.noRate')
            : t('smartAudit.samples.extrapolation', { rate: (x.errorRateBp / 100).toFixed(2), unsampled: yuan(x.unsampledFundPayFen), proposed: yuan(x.proposedDeductionFen) })}
        </span>
      }
      description={
        <span data-testid="sample-extrapolation-terms">
          {t('smartAudit.samples.rateTerms', {
            error: yuan(x.errorFen),
            errors: x.errors,
            sampled: yuan(x.sampledFundPayFen),
            reviewed: x.reviewed,
            count: x.sampledClaims,
            population: x.populationClaims,
            populationAmount: yuan(x.populationFundPayFen),
          })}
        </span>
      }
    />
  );
}

function SamplePanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const sample = useSample(id);
  const close = useCloseSample(id);
  const errorModal = useOverlay<ErrorTarget>('sample-error');
  const [alert, setAlert] = useState<string[]>([]);
  if (sample.isPending) return <Skeleton active />;
  if (sample.isError) return <Alert type="error" showIcon title={actionErrorLines(sample.error).join('；')} />;
  const s = sample.data;
  return (
    <div className="page-stack" data-testid="sample-panel" data-status={s.status} data-id={s.id}>
      <Typography.Text type="secondary">
        {t('smartAudit.samples.panelHead', {
          from: s.from,
          to: s.to,
          how: s.rateBp !== null ? t('smartAudit.samples.rateValue', { percent: percentOfBp(s.rateBp) }) : t('smartAudit.samples.sizeValue', { size: s.size }),
          seed: s.seed,
        })}
      </Typography.Text>
      <ExtrapolationLine sample={s} />
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} data-testid="sample-alert" /> : null}
      <SampleClaims sample={s} onError={(target) => errorModal.open(target)} onFailed={setAlert} />
      <div className="drawer-footer">
        {s.status === 'open' ? (
          <Popconfirm
            disabled={s.pending > 0}
            title={t('smartAudit.samples.closeConfirm')}
            okText={t('smartAudit.samples.close')}
            cancelText={t('common.cancel')}
            okButtonProps={{ 'data-testid': 'sample-close-ok' }}
            onConfirm={async () => {
              setAlert([]);
              try {
                const done = await close.mutateAsync();
                void message.success(t('smartAudit.samples.closed', { amount: yuan(done.proposedDeductionFen) }));
              } catch (error) {
                setAlert(actionErrorLines(error));
              }
            }}
          >
            <Space>
              {s.pending > 0 ? (
                <Typography.Text type="secondary" data-testid="sample-pending">
                  {t('smartAudit.samples.closePending', { count: s.pending })}
                </Typography.Text>
              ) : null}
              <Button type="primary" disabled={s.pending > 0} loading={close.isPending} data-testid="sample-close">
                {t('smartAudit.samples.close')}
              </Button>
            </Space>
          </Popconfirm>
        ) : (
          <Typography.Text type="secondary" data-testid="sample-closed-at">
            {t('smartAudit.samples.closedAt', { at: formatDateTime(s.closedAt) })}
          </Typography.Text>
        )}
      </div>
      <SampleErrorModal key={`error-${errorModal.openings}`} sampleId={s.id} target={errorModal.value} onClose={() => errorModal.close()} />
    </div>
  );
}

export default function SamplesPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const openId = params.get('sample');
  const samples = useSamples();

  const columns: TableColumnsType<SampleSummary> = [
    {
      title: t('smartAudit.samples.period'),
      key: 'period',
      render: (_, s) => (
        <Typography.Link onClick={() => update({ sample: s.id })} data-testid="sample-link">
          <span className="mono">
            {s.from} ~ {s.to}
          </span>
        </Typography.Link>
      ),
    },
    {
      title: t('smartAudit.samples.by'),
      key: 'how',
      render: (_, s) => (s.rateBp !== null ? t('smartAudit.samples.rateValue', { percent: percentOfBp(s.rateBp) }) : t('smartAudit.samples.sizeValue', { size: s.size })),
    },
    { title: t('smartAudit.samples.population'), key: 'pop', align: 'right', render: (_, s) => t('smartAudit.samples.populationValue', { count: s.populationClaims, amount: yuan(s.populationFundPayFen) }) },
    { title: t('smartAudit.samples.sampled'), key: 'sampled', align: 'right', render: (_, s) => `${s.reviewed} / ${s.sampledClaims}` },
    { title: t('smartAudit.samples.errorRate'), key: 'rate', align: 'right', render: (_, s) => (s.errorRateBp === null ? t('common.none') : `${(s.errorRateBp / 100).toFixed(2)}%`) },
    {
      title: t('smartAudit.samples.proposed'),
      key: 'proposed',
      align: 'right',
      render: (_, s) => <span data-testid="sample-row-proposed">¥{yuan(s.proposedDeductionFen)}</span>,
    },
    { title: t('smartAudit.fields.status'), key: 'status', render: (_, s) => t(`smartAudit.samples.status.${s.status}`) },
    { title: t('smartAudit.samples.createdAt'), key: 'at', render: (_, s) => <span className="mono">{formatDateTime(s.createdAt)}</span> },
  ];

  return (
    <div className="page-stack">
      <DrawForm onDrawn={(id) => update({ sample: id })} />
      <Card className="list-card" title={t('smartAudit.samples.title')}>
        {samples.isError ? <Alert type="error" showIcon title={actionErrorLines(samples.error).join('；')} /> : null}
        <Table<SampleSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={samples.data?.items ?? []}
          loading={samples.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(s) => (s.id === openId ? 'row-selected' : '')}
          onRow={(s) => ({ 'data-testid': 'sample-row', 'data-id': s.id, 'data-status': s.status }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('smartAudit.samples.empty')} /> }}
        />
      </Card>
      <Drawer open={openId !== null} size={1000} destroyOnHidden title={t('smartAudit.samples.drawerTitle')} onClose={() => update({ sample: null })} data-testid="sample-drawer">
        {openId ? <SamplePanel key={openId} id={openId} /> : null}
      </Drawer>
    </div>
  );
}
