// 签约 / 续约: service packages (基础包 is mandatory) with their contents, the period, and the
// resident's consent (who signed, when, optionally a scanned form sent as base64).
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Skeleton,
  Tag,
  Typography,
  Upload,
  App as AntApp,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { ISO_DATE, toIsoDate } from '../../format.ts';
import { useContracts, useServicePackages } from '../../hooks/reference.ts';
import type { ConsentInput, ConsentSigner, Contract, ServicePackage } from '../../types.ts';
import PackageCard from './PackageCard.tsx';

const MAX_FORM_BYTES = 5 * 1024 * 1024;

// The server's bounds (src/modules/contracts/validation.ts), so the pickers offer only what it accepts:
// a start from 30 days ago to a year ahead, a term of at most 3 years, consent signed by now and at
// most 30 days before the contract starts (or before today, when it starts later).
const MAX_BACKDATE_DAYS = 30;
const CONSENT_LEAD_DAYS = 30;
const startOutOfBounds = (d: Dayjs) => d.isBefore(dayjs().subtract(MAX_BACKDATE_DAYS, 'day'), 'day') || d.isAfter(dayjs().add(1, 'year'), 'day');
const endOutOfBounds = (d: Dayjs, start: Dayjs) => !d.isAfter(start, 'day') || d.isAfter(start.add(3, 'year').subtract(1, 'day'), 'day');
const signedAtOutOfBounds = (d: Dayjs, start: Dayjs) => {
  const from = (start.isBefore(dayjs(), 'day') ? start : dayjs()).subtract(CONSENT_LEAD_DAYS, 'day');
  return d.isAfter(dayjs(), 'day') || d.isBefore(from, 'day');
};

export interface SignTarget {
  mode: 'sign' | 'renew';
  person: { id: string; name: string };
  /** The person's diagnosed diseases, to preselect the matching chronic packages. */
  conditions: string[];
  /** The contract being renewed. */
  contract?: { id: string; endDate: string; packages?: string[] };
}

interface Values {
  packages: string[];
  startDate?: Dayjs;
  endDate?: Dayjs;
  consent: {
    signer: ConsentSigner;
    signerName: string;
    signedAt: Dayjs;
    form?: { name: string; contentBase64: string };
  };
}

/** Packages that cover the person's diseases: the combined one when both, else the matching one. */
function suggestedPackages(packages: ServicePackage[], conditions: string[]): string[] {
  const chronic = packages.filter((p) => p.kind === 'chronic');
  const covering = chronic.filter((p) => p.diseases.length > 0 && p.diseases.every((d) => conditions.includes(d)));
  const widest = covering.sort((a, b) => b.diseases.length - a.diseases.length)[0];
  return ['basic', ...(widest ? [widest.code] : [])];
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function ConsentFormUpload({
  value,
  onChange,
}: {
  value?: { name: string; contentBase64: string };
  onChange?: (v: { name: string; contentBase64: string } | undefined) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  return (
    <Upload
      accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
      maxCount={1}
      fileList={value ? [{ uid: 'consent', name: value.name, status: 'done' }] : []}
      beforeUpload={async (file) => {
        if (file.size > MAX_FORM_BYTES) {
          void message.error(t('contract.formTooLarge'));
          return Upload.LIST_IGNORE;
        }
        onChange?.({ name: file.name, contentBase64: await readBase64(file) });
        return false;
      }}
      onRemove={() => onChange?.(undefined)}
      className="consent-upload"
    >
      <Button icon={<UploadOutlined />} data-testid="consent-form-upload">
        {t('contract.formUpload')}
      </Button>
      <Typography.Text type="secondary" className="consent-upload__hint">
        {t('contract.formUploadHint')}
      </Typography.Text>
    </Upload>
  );
}

const DISEASE_ORDER = ['hypertension', 'diabetes'];

/** 基础包 first, then single-disease packages (hypertension, diabetes), then combined ones. */
export function packageOrder(a: ServicePackage, b: ServicePackage): number {
  const rank = (p: ServicePackage) =>
    p.kind === 'basic' ? 0 : p.diseases.length * 10 + Math.max(0, DISEASE_ORDER.indexOf(p.diseases[0] ?? ''));
  return rank(a) - rank(b) || a.code.localeCompare(b.code);
}

export function PackageChoice({ packages }: { packages: ServicePackage[] }) {
  const { t } = useTranslation();
  return (
    <div className="package-grid">
      {[...packages].sort(packageOrder).map((p) => (
        <PackageCard
          key={p.code}
          pkg={p}
          asLabel
          lead={<Checkbox value={p.code} disabled={p.kind === 'basic'} />}
          badge={p.kind === 'basic' ? <Tag color="blue">{t('contract.mandatory')}</Tag> : null}
          testId={`package-${p.code}`}
        />
      ))}
    </div>
  );
}

/** Give it a new `key` for each opening: the form starts from the target's values. */
export default function SignContractModal({
  target,
  onClose,
}: {
  target: SignTarget | null;
  onClose: (done?: Contract) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const packages = useServicePackages();
  const client = useQueryClient();
  const [alert, setAlert] = useState<string[]>([]);
  const signer = Form.useWatch(['consent', 'signer'], form);
  const startDate = Form.useWatch('startDate', form);

  // a renewal starts from the packages of the contract it renews
  const renewing = target?.mode === 'renew' ? target.contract!.id : null;
  const contracts = useContracts(renewing && !target?.contract?.packages ? target!.person.id : null);
  const renewedPackages = target?.contract?.packages ?? contracts.data?.find((c) => c.id === renewing)?.packages;

  const initialValues = useMemo<Partial<Values> | undefined>(() => {
    if (!target || !packages.data) return undefined;
    if (renewing && !renewedPackages && contracts.isPending) return undefined;
    return {
      packages: renewedPackages?.length
        ? [...new Set(['basic', ...renewedPackages])]
        : suggestedPackages(packages.data, target.conditions),
      startDate: target.mode === 'sign' ? dayjs().startOf('day') : undefined,
      consent: { signer: 'self', signerName: target.person.name, signedAt: dayjs().second(0).millisecond(0) },
    };
  }, [target, packages.data, renewing, renewedPackages, contracts.isPending]);

  useEffect(() => setAlert([]), [target]);

  // the signer's name follows the patient while the patient signs
  useEffect(() => {
    if (target && signer === 'self') form.setFieldValue(['consent', 'signerName'], target.person.name);
  }, [signer, target, form]);

  const save = useMutation({
    mutationFn: (values: Values) => {
      const consent: ConsentInput = {
        signer: values.consent.signer,
        signerName: values.consent.signerName.trim(),
        signedAt: values.consent.signedAt.format(),
        ...(values.consent.form ? { form: values.consent.form } : {}),
      };
      if (target!.mode === 'renew') {
        return api<Contract>(`/api/contracts/${target!.contract!.id}/renew`, {
          method: 'POST',
          body: { packages: values.packages, consent },
        });
      }
      return api<Contract>('/api/contracts', {
        method: 'POST',
        body: {
          personId: target!.person.id,
          startDate: toIsoDate(values.startDate),
          ...(values.endDate ? { endDate: toIsoDate(values.endDate) } : {}),
          packages: values.packages,
          consent,
        },
      });
    },
    meta: { silent: true },
    onSuccess: (contract) => {
      void client.invalidateQueries({ queryKey: ['team'] });
      void client.invalidateQueries({ queryKey: ['teams'] });
      void client.invalidateQueries({ queryKey: ['contracts'] });
      void client.invalidateQueries({ queryKey: ['eligibility'] });
      void client.invalidateQueries({ queryKey: ['people'] });
      onClose(contract);
    },
    onError: (error) => setAlert(applyServerErrors(form, error).unplaced),
  });

  const renewFrom = target?.contract ? dayjs(target.contract.endDate).add(1, 'day') : null;
  const defaultEnd = (target?.mode === 'renew' ? renewFrom : (startDate ?? dayjs()))?.add(1, 'year').subtract(1, 'day');

  return (
    <Modal
      open={target !== null}
      title={
        target
          ? t(target.mode === 'renew' ? 'contract.renewTitle' : 'contract.signTitle', { name: target.person.name })
          : null
      }
      width={960}
      okText={target?.mode === 'renew' ? t('contract.renewSubmit') : t('contract.signSubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => onClose()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'contract-submit' }}
      data-testid="sign-contract-modal"
    >
      {alert.length ? (
        <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" />
      ) : null}
      {!initialValues ? (
        <Skeleton active />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark="optional"
          initialValues={initialValues}
          onFinish={(v) => save.mutate(v)}
          onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)}
        >
          <Form.Item
            name="packages"
            label={t('contract.packages')}
            rules={[
              {
                required: true,
                validator: (_, value: string[] | undefined) =>
                  value?.includes('basic') ? Promise.resolve() : Promise.reject(new Error(t('contract.basicRequired'))),
              },
            ]}
          >
            <Checkbox.Group className="package-group">
              <PackageChoice packages={packages.data ?? []} />
            </Checkbox.Group>
          </Form.Item>

          <Row gutter={16}>
            {target?.mode === 'sign' ? (
              <>
                <Col span={8}>
                  <Form.Item name="startDate" label={t('contract.startDate')} rules={[{ required: true }]}>
                    <DatePicker
                      className="full-width"
                      format={ISO_DATE}
                      disabledDate={startOutOfBounds}
                      data-testid="contract-start-date"
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item
                    name="endDate"
                    label={t('contract.endDate')}
                    extra={defaultEnd ? t('contract.endDefault', { date: defaultEnd.format(ISO_DATE) }) : undefined}
                  >
                    <DatePicker
                      className="full-width"
                      format={ISO_DATE}
                      placeholder={t('contract.oneYear')}
                      disabledDate={(d) => endOutOfBounds(d, startDate ?? dayjs())}
                    />
                  </Form.Item>
                </Col>
              </>
            ) : (
              <Col span={16}>
                <Form.Item label={t('contract.newPeriod')} required>
                  <Typography.Text>
                    {renewFrom && defaultEnd
                      ? `${renewFrom.format(ISO_DATE)} ~ ${defaultEnd.format(ISO_DATE)}`
                      : t('common.none')}
                  </Typography.Text>
                </Form.Item>
              </Col>
            )}
          </Row>

          <Typography.Title level={5} className="form-section-title">
            {t('contract.consent')}
          </Typography.Title>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name={['consent', 'signer']} label={t('contract.signer')} rules={[{ required: true }]}>
                <Radio.Group optionType="button" buttonStyle="solid" size="small">
                  {(['self', 'guardian', 'proxy'] as const).map((s) => (
                    <Radio.Button key={s} value={s}>
                      <span data-testid={`signer-${s}`}>{t(`contract.signers.${s}`)}</span>
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name={['consent', 'signerName']}
                label={t('contract.signerName')}
                rules={[{ required: true, whitespace: true, message: t('contract.signerNameRequired') }]}
              >
                <Input maxLength={50} disabled={signer === 'self'} data-testid="signer-name" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['consent', 'signedAt']} label={t('contract.signedAt')} rules={[{ required: true }]}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  className="full-width"
                  disabledDate={(d) => signedAtOutOfBounds(d, (target?.mode === 'renew' ? renewFrom : startDate) ?? dayjs())}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name={['consent', 'form']} label={t('contract.consentForm')}>
            <ConsentFormUpload />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
