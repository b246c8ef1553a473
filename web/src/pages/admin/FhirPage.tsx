// FHIR 数据交换 (docs/fhir.md, "On the web"): the administrators' screen for the hospitals' FHIR data. 导入:
// a bundle file sent to POST /fhir, its report or the OperationOutcome of a refused bundle — for the system
// administrator anyone's, for an institution's administrator its own patients'. 导出 (the system
// administrator's only): a county's or the city's bulk export as NDJSON files, their progress, downloads and
// removal.
import { Space } from 'antd';
import { useMe } from '../../auth.ts';
import ExportCard from '../../components/fhir/ExportCard.tsx';
import ImportCard from '../../components/fhir/ImportCard.tsx';

export default function FhirPage() {
  const { data: me } = useMe();
  if (!me) return null;
  const system = me.role === 'system_admin';
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="fhir-page">
      <ImportCard institutionScoped={!system} />
      {system && <ExportCard />}
    </Space>
  );
}
