// 诊断依据 for one disease of a filing: BP readings on different days, fasting glucose / HbA1c, or a
// hospital diagnosis. Field names mirror the request body (…basis.readings.N.systolic) so that the
// server's field errors land here.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Radio, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ISO_DATE } from '../../format.ts';
import type { BasisType } from '../../types.ts';

export interface ReadingValue {
  date?: Dayjs;
  systolic?: number;
  diastolic?: number;
}

export interface BasisValue {
  type?: BasisType;
  readings?: ReadingValue[];
  date?: Dayjs;
  fastingGlucose?: number;
  hba1c?: number;
  institutionName?: string;
}

/** Which kinds of evidence fit a disease: BP only for hypertension, glucose only for diabetes. */
export function basisTypesFor(code: string): BasisType[] {
  if (code === 'hypertension') return ['bp_readings', 'hospital_diagnosis'];
  if (code === 'diabetes') return ['glucose', 'hospital_diagnosis'];
  return ['hospital_diagnosis'];
}

export const emptyReadings = (): ReadingValue[] => [{}, {}, {}];

const raised = (r: ReadingValue | undefined) => !!r && ((r.systolic ?? 0) >= 140 || (r.diastolic ?? 0) >= 90);

/** Different days with a raised office BP (≥ 140/90), as the guideline counts them. */
export function raisedDays(readings: ReadingValue[] | undefined): number {
  return new Set((readings ?? []).filter((r) => raised(r) && r.date).map((r) => r.date!.format(ISO_DATE))).size;
}

export default function BasisFields({ listName, code, dateLabel }: { listName: number; code: string; dateLabel: string }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type: BasisType | undefined = Form.useWatch(['diseases', listName, 'basis', 'type'], form);
  const readings: ReadingValue[] | undefined = Form.useWatch(['diseases', listName, 'basis', 'readings'], form);
  const days = raisedDays(readings);

  return (
    <div className="basis-fields" data-testid={`basis-${code}`}>
      <div className="basis-head">
        <Form.Item name={[listName, 'diagnosedOn']} label={dateLabel} rules={[{ required: true, message: t('filing.dateRequired') }]}>
          <DatePicker format={ISO_DATE} data-testid="diagnosed-on" />
        </Form.Item>
        <Form.Item
          name={[listName, 'basis', 'type']}
          label={t('filing.basisType')}
          rules={[{ required: true, message: t('filing.basisTypeRequired') }]}
        >
          <Radio.Group
            optionType="button"
            onChange={(e) => {
              // the rows the basis needs: three BP readings on different days, the single test or the hospital
              if (e.target.value === 'bp_readings' && !(form.getFieldValue(['diseases', listName, 'basis', 'readings']) ?? []).length)
                form.setFieldValue(['diseases', listName, 'basis', 'readings'], emptyReadings());
            }}
          >
            {basisTypesFor(code).map((b) => (
              <Radio.Button key={b} value={b}>
                <span data-testid={`basis-type-${b}`}>{t(`basisType.${b}`)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
      </div>

      {type === 'bp_readings' ? (
        <Form.List name={[listName, 'basis', 'readings']}>
          {(fields, { add, remove }, { errors }) => (
            <div className="reading-grid" data-testid="bp-readings">
              <div className="reading-grid__head">
                <span>{t('filing.readingDate')}</span>
                <span>{t('filing.systolic')}</span>
                <span>{t('filing.diastolic')}</span>
                <span />
              </div>
              {fields.map((f) => (
                <div key={f.key} className="reading-grid__row" data-testid="bp-reading-row">
                  <Form.Item name={[f.name, 'date']} rules={[{ required: true, message: t('filing.dateRequired') }]}>
                    <DatePicker format={ISO_DATE} className="full-width" data-testid="reading-date" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'systolic']} rules={[{ required: true, message: t('filing.valueRequired') }]}>
                    <InputNumber min={0} max={400} precision={0} suffix="mmHg" className="full-width" data-testid="reading-systolic" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'diastolic']} rules={[{ required: true, message: t('filing.valueRequired') }]}>
                    <InputNumber min={0} max={300} precision={0} suffix="mmHg" className="full-width" data-testid="reading-diastolic" />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    disabled={fields.length <= 1}
                    onClick={() => remove(f.name)}
                    aria-label={t('common.remove')}
                  />
                </div>
              ))}
              <div className="reading-grid__foot">
                <Button size="small" icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-reading">
                  {t('filing.addReading')}
                </Button>
                <Typography.Text type={days >= 3 ? 'success' : 'secondary'} className="reading-count">
                  {t('filing.raisedDays', { days })}
                </Typography.Text>
              </div>
              <Form.ErrorList errors={errors} />
            </div>
          )}
        </Form.List>
      ) : null}

      {type === 'glucose' ? (
        <div className="basis-row">
          <Form.Item name={[listName, 'basis', 'date']} label={t('filing.testDate')} rules={[{ required: true, message: t('filing.dateRequired') }]}>
            <DatePicker format={ISO_DATE} data-testid="glucose-date" />
          </Form.Item>
          <Form.Item name={[listName, 'basis', 'fastingGlucose']} label={t('filing.fastingGlucose')}>
            <InputNumber min={0} max={60} step={0.1} precision={1} suffix="mmol/L" className="input-160" data-testid="fasting-glucose" />
          </Form.Item>
          <Form.Item name={[listName, 'basis', 'hba1c']} label={t('filing.hba1c')}>
            <InputNumber min={0} max={25} step={0.1} precision={1} suffix="%" className="input-160" data-testid="hba1c" />
          </Form.Item>
          <Typography.Text type="secondary" className="basis-hint">
            {t('filing.glucoseHint')}
          </Typography.Text>
        </div>
      ) : null}

      {type === 'hospital_diagnosis' ? (
        <div className="basis-row">
          <Form.Item
            name={[listName, 'basis', 'institutionName']}
            label={t('filing.hospital')}
            rules={[{ required: true, whitespace: true, message: t('filing.hospitalRequired') }]}
            className="basis-row__wide"
          >
            <Input maxLength={100} data-testid="hospital-name" />
          </Form.Item>
          <Form.Item name={[listName, 'basis', 'date']} label={t('filing.hospitalDate')} rules={[{ required: true, message: t('filing.dateRequired') }]}>
            <DatePicker format={ISO_DATE} data-testid="hospital-date" />
          </Form.Item>
        </div>
      ) : null}

    </div>
  );
}
