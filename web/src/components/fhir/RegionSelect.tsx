// The export's area: the city (全市) or one of its counties, from the region catalogue (/api/admin/regions),
// found by name or code — as the user pages' county picker (pages/admin/users/ScopeFields.tsx) does.
import { Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { type Region, regionOption } from '../regionOptions.ts';

export default function RegionSelect({ regions, loading, value, onChange }: { regions: Region[]; loading: boolean; value?: string; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  const english = currentLanguage() === 'en-US';
  const options = useMemo(() => {
    const byCode = new Map(regions.map((r) => [r.code, r]));
    const option = (r: Region) => regionOption(r, byCode, english, r.level === 'city' ? ` · ${t('fhir.export.city')}` : '');
    // each city, then its counties
    const cities = regions.filter((r) => r.level === 'city');
    return cities.flatMap((c) => [option(c), ...regions.filter((r) => r.level === 'county' && r.parentCode === c.code).map(option)]);
  }, [regions, english, t]);
  return (
    <Select
      showSearch={{ filterOption: (input, option) => (option?.search ?? '').includes(input.trim().toLowerCase()) }}
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      loading={loading}
      placeholder={t('fhir.export.placeholder')}
      style={{ width: 360, maxWidth: '100%' }}
      data-testid="fhir-export-region"
    />
  );
}
