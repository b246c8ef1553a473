// 外院数据（导入）: what hospitals' systems sent by FHIR import — their readings (the last 50, latest first)
// and the outside medication list. Kept apart from the follow-ups: an imported reading is not a visit and is
// in neither the trends nor the management status.
import { Card, Col, Empty, Row, Table, Tag, Tooltip, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { TWO_DISEASES, drugName } from '../../format.ts';
import { useDrugCatalogue } from '../../hooks/reference.ts';
import type { ImportedReading, OutsideMedication } from './types.ts';
import { tenthsText } from './units.ts';

/** The server sends at most this many readings (the latest). */
const READINGS_SHOWN = 50;

const UNIT: Record<ImportedReading['kind'], string | null> = {
  blood_pressure: 'mmHg',
  heart_rate: null, // 次/分 or /min, from the messages
  glucose: 'mmol/L',
  fasting_glucose: 'mmol/L',
  hba1c: '%',
  weight: 'kg',
  height: 'cm',
  bmi: 'kg/m²',
};

const STATUS_COLOR: Record<string, string> = { active: 'green', 'on-hold': 'orange', 'entered-in-error': 'red' };

/** The chart sends no ids for these rows: their place in the server's order is their key. */
const keyed = <T extends object>(rows: T[]) => rows.map((r, i) => ({ ...r, key: i }));
const rowTestId = (testId: string) => () => ({ 'data-testid': testId }) as HTMLAttributes<HTMLElement>;
const mono = (text: string | null) => <span className="mono">{text ?? '—'}</span>;
/** The source system (the identifier system the patient was matched by): a URL's host, whole on hover. */
const shortSystem = (system: string): string => /^https?:\/\/([^/?#]+)/i.exec(system)?.[1] ?? system;
const source = (system: string) => (
  <Typography.Text type="secondary" ellipsis={{ tooltip: system }} className="fu-imported__source">
    {shortSystem(system)}
  </Typography.Text>
);

function ReadingTable({ readings }: { readings: ImportedReading[] }) {
  const { t } = useTranslation();
  const valueText = (r: ImportedReading) => {
    const value = r.kind === 'blood_pressure' ? `${r.value}/${r.value2 ?? '—'}` : r.kind === 'heart_rate' ? String(r.value) : tenthsText(r.value);
    return `${value} ${UNIT[r.kind] ?? t('followup.units.perMinute')}`;
  };
  return (
    <Table<ImportedReading>
      size="small"
      dataSource={keyed(readings)}
      pagination={false}
      scroll={{ y: 320 }}
      tableLayout="fixed"
      onRow={rowTestId('imported-reading-row')}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.imported.noReadings')} /> }}
      columns={[
        { title: t('followup.imported.col.date'), dataIndex: 'date', width: 110, render: mono },
        { title: t('followup.imported.col.kind'), dataIndex: 'kind', width: 120, render: (k: string) => t(`followup.imported.kind.${k}`, { defaultValue: k }) },
        { title: t('followup.imported.col.value'), key: 'value', width: 130, render: (_, r) => <span className="mono">{valueText(r)}</span> },
        { title: t('followup.imported.col.source'), dataIndex: 'sourceSystem', render: source },
      ]}
    />
  );
}

function MedicationTable({ medications }: { medications: OutsideMedication[] }) {
  const { t } = useTranslation();
  const catalogue = useDrugCatalogue(TWO_DISEASES);
  const name = (m: OutsideMedication) => {
    const d = m.drugCode ? catalogue.byCode.get(m.drugCode) : undefined;
    if (!m.drugCode) {
      return (
        <span>
          {m.text}{' '}
          <Tooltip title={t('followup.imported.notMappedHint')}>
            <Tag className="fu-imported__mark" data-testid="not-mapped">
              {t('followup.imported.notMapped')}
            </Tag>
          </Tooltip>
        </span>
      );
    }
    return (
      <Tooltip title={m.text}>
        <span>
          <Typography.Text strong>{d ? drugName(d) : (m.drugName ?? m.text)}</Typography.Text>{' '}
          {d ? <Typography.Text type="secondary">{d.strength}</Typography.Text> : null}
        </span>
      </Tooltip>
    );
  };
  return (
    <Table<OutsideMedication>
      size="small"
      dataSource={keyed(medications)}
      pagination={false}
      scroll={{ y: 320 }}
      tableLayout="fixed"
      onRow={(m) => ({ 'data-testid': 'outside-medication-row', 'data-drug-code': m.drugCode ?? '' }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.imported.noMedications')} /> }}
      columns={[
        { title: t('followup.imported.col.drug'), key: 'drug', render: (_, m) => name(m) },
        {
          title: t('followup.imported.col.status'),
          dataIndex: 'status',
          width: 90,
          render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`followup.imported.status.${s}`, { defaultValue: s })}</Tag>,
        },
        { title: t('followup.imported.col.authoredOn'), dataIndex: 'authoredOn', width: 110, render: mono },
        { title: t('followup.imported.col.source'), dataIndex: 'sourceSystem', width: 130, render: source },
      ]}
    />
  );
}

/** Nothing when the hospitals sent nothing for this patient. */
export default function ImportedRecords({ readings, medications }: { readings: ImportedReading[]; medications: OutsideMedication[] }) {
  const { t } = useTranslation();
  if (readings.length === 0 && medications.length === 0) return null;
  const title = (text: string, count: number) => (
    <span>
      {text} <Tag className="fu-count">{count}</Tag>
    </span>
  );
  return (
    <Card
      size="small"
      title={t('followup.imported.title')}
      extra={<Typography.Text type="secondary">{t('followup.imported.hint')}</Typography.Text>}
      data-testid="imported-section"
      className="fu-imported"
    >
      <Row gutter={[16, 12]}>
        <Col xs={24} xl={12} data-testid="imported-readings">
          <div className="fu-imported__head">
            {title(t('followup.imported.readings'), readings.length)}
            {readings.length >= READINGS_SHOWN ? <Typography.Text type="secondary">{t('followup.imported.latestOnly', { count: READINGS_SHOWN })}</Typography.Text> : null}
          </div>
          <ReadingTable readings={readings} />
        </Col>
        <Col xs={24} xl={12} data-testid="outside-medications">
          <div className="fu-imported__head">{title(t('followup.imported.medications'), medications.length)}</div>
          <MedicationTable medications={medications} />
        </Col>
      </Row>
    </Card>
  );
}
