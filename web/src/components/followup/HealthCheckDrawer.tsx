// 年度健康体检: the annual health check a two-disease patient gets once a year (part of standardised
// management). Readings in kg, cm, mmol/L on the form, tenths in the request; the API's field errors
// are shown on their fields.
import { useMutation } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Radio, Row, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { ISO_DATE, toIsoDate } from '../../format.ts';
import { useInvalidateFollowups } from './queries.ts';
import { followupProblem } from './serverErrors.ts';
import type { CheckResult, HealthCheck, HealthCheckInput, VisitTarget } from './types.ts';
import { bmiBand, bmiFrom, toTenths } from './units.ts';
import './followup.css';

interface Values {
  checkDate: Dayjs;
  readings: {
    systolic?: number | null;
    diastolic?: number | null;
    heartRate?: number | null;
    weight?: number | null;
    height?: number | null;
    waist?: number | null;
    fastingGlucose?: number | null;
    hba1c?: number | null;
  };
  labs: { totalCholesterol?: number | null; ldl?: number | null; creatinineUmol?: number | null };
  ecg?: CheckResult;
  fundus?: CheckResult;
  findings?: string;
}

const present = ([, v]: [string, unknown]) => v !== null && v !== undefined;

function toBody(v: Values): HealthCheckInput {
  const r = v.readings ?? {};
  const l = v.labs ?? {};
  const labs = Object.fromEntries(
    Object.entries({ totalCholesterolTenths: toTenths(l.totalCholesterol), ldlTenths: toTenths(l.ldl), creatinineUmol: l.creatinineUmol }).filter(present),
  );
  return {
    checkDate: toIsoDate(v.checkDate),
    readings: Object.fromEntries(
      Object.entries({
        systolic: r.systolic,
        diastolic: r.diastolic,
        heartRate: r.heartRate,
        weightTenthsKg: toTenths(r.weight),
        heightTenthsCm: toTenths(r.height),
        waistTenthsCm: toTenths(r.waist),
        fastingGlucoseTenths: toTenths(r.fastingGlucose),
        hba1cTenths: toTenths(r.hba1c),
      }).filter(present),
    ),
    ...(Object.keys(labs).length ? { labs } : {}),
    ...(v.ecg ? { ecg: v.ecg } : {}),
    ...(v.fundus ? { fundus: v.fundus } : {}),
    ...(v.findings?.trim() ? { findings: v.findings.trim() } : {}),
  };
}

const RESULTS: CheckResult[] = ['normal', 'abnormal', 'not_done'];

export default function HealthCheckDrawer({ target, onClose }: { target: VisitTarget | null; onClose: (saved?: HealthCheck) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const invalidate = useInvalidateFollowups();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const weight = Form.useWatch(['readings', 'weight'], form);
  const height = Form.useWatch(['readings', 'height'], form);
  const bmi = bmiFrom(weight, height);
  const band = bmiBand(bmi);

  const save = useMutation({
    mutationFn: (v: Values) =>
      api<HealthCheck>(`/api/people/${encodeURIComponent(target!.person.id)}/health-checks`, { method: 'POST', body: toBody(v) }),
    meta: { silent: true },
    onSuccess: (check) => {
      void invalidate();
      void message.success(t('followup.check.saved', { name: target?.person.name }));
      onClose(check);
    },
    onError: (error) => {
      const { unplaced } = applyServerErrors(form, followupProblem(error));
      setAlert(unplaced.length ? unplaced : [t('followup.form.fixMarked')]);
    },
  });

  const num = (name: (string | number)[], label: string, suffix: string, precision: number, testId?: string) => (
    <Col xs={12} sm={6}>
      <Form.Item name={name} label={label}>
        <InputNumber precision={precision} step={precision ? 0.1 : 1} min={0} suffix={suffix} className="full-width" data-testid={testId} />
      </Form.Item>
    </Col>
  );

  return (
    <Drawer
      open={target !== null}
      size={760}
      title={target ? t('followup.check.title', { name: target.person.name }) : null}
      onClose={() => onClose()}
      destroyOnHidden
      data-testid="check-drawer"
      footer={
        <div className="drawer-footer">
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="check-submit">
            {t('followup.check.submit')}
          </Button>
        </div>
      }
    >
      {target ? (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark="optional"
          initialValues={{ checkDate: dayjs(), readings: {}, labs: {} }}
          onFinish={(v) => save.mutate(v)}
          onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)}
          className="fu-form"
          scrollToFirstError
        >
          {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
          <Form.Item name="checkDate" label={t('followup.check.date')} rules={[{ required: true, message: t('followup.form.required') }]}>
            <DatePicker format={ISO_DATE} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="check-date" />
          </Form.Item>
          <Typography.Title level={5} className="form-section-title">
            {t('followup.form.sectionSigns')}
          </Typography.Title>
          <Row gutter={16}>
            {num(['readings', 'systolic'], t('followup.fields.systolic'), 'mmHg', 0, 'check-systolic')}
            {num(['readings', 'diastolic'], t('followup.fields.diastolic'), 'mmHg', 0, 'check-diastolic')}
            {num(['readings', 'heartRate'], t('followup.fields.heartRate'), t('followup.units.perMinute'), 0)}
          </Row>
          <Row gutter={16}>
            {num(['readings', 'weight'], t('followup.fields.weight'), 'kg', 1)}
            {num(['readings', 'height'], t('followup.fields.height'), 'cm', 1)}
            {num(['readings', 'waist'], t('followup.fields.waist'), 'cm', 1)}
            <Col xs={12} sm={6}>
              <Form.Item label={t('followup.fields.bmi')}>
                <div className="fu-bmi">
                  <span className="mono">{bmi ?? '—'}</span>
                  {band ? <Tag>{t(`followup.bmiBand.${band}`)}</Tag> : null}
                </div>
              </Form.Item>
            </Col>
          </Row>
          <Typography.Title level={5} className="form-section-title">
            {t('followup.check.sectionLabs')}
          </Typography.Title>
          <Row gutter={16}>
            {num(['readings', 'fastingGlucose'], t('followup.fields.fastingGlucose'), 'mmol/L', 1)}
            {num(['readings', 'hba1c'], t('followup.fields.hba1c'), '%', 1)}
            {num(['labs', 'totalCholesterol'], t('followup.fields.totalCholesterol'), 'mmol/L', 1)}
            {num(['labs', 'ldl'], t('followup.fields.ldl'), 'mmol/L', 1)}
          </Row>
          <Row gutter={16}>
            {num(['labs', 'creatinineUmol'], t('followup.fields.creatinine'), 'µmol/L', 0)}
          </Row>
          <Row gutter={16}>
            {(['ecg', 'fundus'] as const).map((k) => (
              <Col key={k} xs={24} sm={12}>
                <Form.Item name={k} label={t(`followup.fields.${k}`)}>
                  <Radio.Group optionType="button" size="small">
                    {RESULTS.map((r) => (
                      <Radio.Button key={r} value={r}>
                        {t(`followup.checkResult.${r}`)}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item name="findings" label={t('followup.fields.findings')}>
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      ) : null}
    </Drawer>
  );
}
