// 连续处方 lines: drug (from the chronic-disease drug list for the diseases in force), dose, frequency,
// days of supply (at most the policy's maximum) and where it is dispensed (own institution, or 外配 at a chain pharmacy).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Radio, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { drugName } from '../../format.ts';
import { useDrugCatalogue, usePharmacies } from '../../hooks/reference.ts';
import { FREQUENCIES, type Dispensing, type Frequency, type PrescriptionLine } from '../../types.ts';

export interface LineValue {
  drugCode?: string;
  dose?: string;
  frequency?: Frequency;
  daysSupply?: number;
  dispensing?: Dispensing;
  pharmacyId?: string;
}

export const emptyLine = (): LineValue => ({ frequency: 'qd', daysSupply: 30, dispensing: 'own' });

export const lineFromView = (l: PrescriptionLine): LineValue => ({
  drugCode: l.drugCode,
  dose: l.dose,
  frequency: l.frequency,
  daysSupply: l.daysSupply,
  dispensing: l.dispensing,
  pharmacyId: l.pharmacyId ?? undefined,
});

/** `maxDaysSupply`: the longest supply under the policy in force for the patient (the server checks it too). */
export default function PrescriptionFields({ diseases, required, maxDaysSupply }: { diseases: string[]; required: boolean; maxDaysSupply: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const catalogue = useDrugCatalogue(diseases);
  const pharmacies = usePharmacies();
  const lines: LineValue[] | undefined = Form.useWatch('prescription', form);

  const drugOptions = catalogue.drugs.map((d) => ({
    value: d.code,
    label: `${drugName(d)} ${d.strength}`,
    search: `${d.genericNameZh} ${d.genericNameEn} ${d.code}`,
    drug: d,
  }));

  return (
    <Form.List
      name="prescription"
      rules={[
        {
          validator: async (_, value: LineValue[] | undefined) => {
            if (required && !value?.length) throw new Error(t('filing.prescriptionRequired'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div className="rx-grid" data-testid="prescription-lines">
          <div className="rx-grid__head">
            <span>{t('rx.drug')}</span>
            <span>{t('rx.dose')}</span>
            <span>{t('rx.frequency')}</span>
            <span>{t('rx.daysSupply')}</span>
            <span>{t('rx.dispensing')}</span>
            <span>{t('rx.pharmacy')}</span>
            <span />
          </div>
          {fields.map((f) => {
            const external = lines?.[f.name]?.dispensing === 'external';
            return (
              <div key={f.key} className="rx-grid__row" data-testid="prescription-line">
                <Form.Item name={[f.name, 'drugCode']} rules={[{ required: true, message: t('rx.drugRequired') }]}>
                  <Select
                    showSearch={{ optionFilterProp: 'search' }}
                    loading={catalogue.loading}
                    placeholder={t('rx.drugPlaceholder')}
                    options={drugOptions}
                    optionRender={(o) => (
                      <span className="drug-option">
                        {o.data.label}
                        <span className="drug-option__meta">
                          {o.data.drug.form} · {o.data.drug.packSize}
                          {o.data.drug.unit}
                        </span>
                        {o.data.drug.vbp ? (
                          <Tag color="green" className="drug-option__vbp">
                            {t('rx.vbp')}
                          </Tag>
                        ) : null}
                      </span>
                    )}
                    popupMatchSelectWidth={420}
                    onChange={(code: string) => {
                      const drug = catalogue.byCode.get(code);
                      if (drug && !form.getFieldValue(['prescription', f.name, 'dose']))
                        form.setFieldValue(['prescription', f.name, 'dose'], `1${drug.unit}`);
                    }}
                    data-testid="rx-drug"
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'dose']} rules={[{ required: true, whitespace: true, message: t('rx.doseRequired') }]}>
                  <Input maxLength={40} placeholder={t('rx.dosePlaceholder')} data-testid="rx-dose" />
                </Form.Item>
                <Form.Item name={[f.name, 'frequency']} rules={[{ required: true, message: t('rx.frequencyRequired') }]}>
                  <Select
                    options={FREQUENCIES.map((q) => ({ value: q, label: t(`frequency.${q}`) }))}
                    data-testid="rx-frequency"
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'daysSupply']}
                  rules={[
                    { required: true, message: t('rx.daysRequired') },
                    { type: 'number', max: maxDaysSupply, message: t('rx.daysMax', { max: maxDaysSupply }) },
                  ]}
                >
                  <InputNumber min={1} precision={0} suffix={t('rx.days')} className="full-width" data-testid="rx-days" />
                </Form.Item>
                <Form.Item name={[f.name, 'dispensing']}>
                  <Radio.Group
                    optionType="button"
                    size="middle"
                    onChange={(e) => {
                      if (e.target.value === 'own') form.setFieldValue(['prescription', f.name, 'pharmacyId'], undefined);
                    }}
                    data-testid="rx-dispensing"
                  >
                    <Radio.Button value="own">{t('dispensing.ownShort')}</Radio.Button>
                    <Radio.Button value="external">{t('dispensing.externalShort')}</Radio.Button>
                  </Radio.Group>
                </Form.Item>
                {external ? (
                  <Form.Item name={[f.name, 'pharmacyId']} rules={[{ required: true, message: t('rx.pharmacyRequired') }]}>
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      loading={pharmacies.isPending}
                      placeholder={t('rx.pharmacyPlaceholder')}
                      options={(pharmacies.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
                      data-testid="rx-pharmacy"
                    />
                  </Form.Item>
                ) : (
                  <span className="rx-grid__none">{t('rx.ownInstitution')}</span>
                )}
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
              </div>
            );
          })}
          <div className="rx-grid__foot">
            <Button size="small" icon={<PlusOutlined />} onClick={() => add(emptyLine())} data-testid="add-prescription-line">
              {t('rx.addLine')}
            </Button>
          </div>
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}
