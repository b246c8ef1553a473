// The region catalogue (/api/admin/regions) as a picker's options: a county named with its city, the code
// beside the name, found by code or by either language's name.
export interface Region {
  code: string;
  name: string;
  nameEn: string | null;
  level: 'city' | 'county' | 'town';
  parentCode: string | null;
}

export const regionName = (r: Region | undefined, english: boolean) => (r ? (english && r.nameEn ? r.nameEn : r.name) : '');

/** One region as an option; `suffix` follows the name (e.g. the city's "全市"). */
export function regionOption(r: Region, byCode: Map<string, Region>, english: boolean, suffix = '') {
  const parent = r.level === 'county' && r.parentCode ? regionName(byCode.get(r.parentCode), english) : '';
  const label = `${parent ? `${parent} · ` : ''}${regionName(r, english)}${suffix}（${r.code}）`;
  return { value: r.code, label, search: `${r.code} ${r.name} ${r.nameEn ?? ''} ${parent}`.toLowerCase() };
}
