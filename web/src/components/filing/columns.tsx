// Table columns that the doctor's filings and the agency's queue show alike.
import { Space, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { FilingSummary } from '../../types.ts';
import { FilingDiseaseTag, FilingKindTag } from '../labels.tsx';

export const filingKindAndDiseaseColumns = (t: TFunction): TableColumnsType<FilingSummary> => [
  {
    title: t('filing.kind'),
    key: 'kind',
    render: (_, f) => <FilingKindTag kind={f.kind} changeReason={f.changeReason} revocationReason={f.revocationReason} />,
  },
  {
    title: t('filing.diseases'),
    key: 'diseases',
    render: (_, f) => (
      <Space size={[4, 4]} wrap>
        {f.diseases.map((d) => (
          <FilingDiseaseTag key={d.code} code={d.code} name={d.name} action={d.action} />
        ))}
      </Space>
    ),
  },
];
