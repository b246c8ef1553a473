// The synthetic city's providers: per county a medical community led by its hospital, a
// grassroots centre in every town with "3+X" family-doctor teams, village clinics, and chain
// pharmacies. Pure: the same regions and seed give the same rows.
import type { Region } from '../reference/service';
import { FEMALE_CHARS, MALE_CHARS, SURNAMES, VILLAGE_NAMES } from './names';
import type { Random } from './random';

export interface DemoInstitution {
  id: string;
  code: string;
  name: string;
  level: 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';
  kind: 'community_health_centre' | 'township_health_centre' | 'village_clinic' | 'hospital' | 'pharmacy';
  county_code: string;
  region_code: string;
  medical_community_id: string;
  upper_institution_id: string | null;
  address: string;
  phone: string;
}
export interface DemoPractitioner { id: string; name: string; profession: 'doctor' | 'nurse' | 'public_health' | 'pharmacist'; institution_id: string; license_no: string }
export interface DemoTeam { id: string; name: string; institution_id: string; leader_id: string; town_code: string; phone: string }
export interface DemoMember { team_id: string; practitioner_id: string; member_role: 'gp' | 'nurse' | 'public_health' | 'specialist' }

export interface DemoCity {
  communities: Array<{ id: string; name: string; county_code: string }>;
  institutions: DemoInstitution[];
  practitioners: DemoPractitioner[];
  teams: DemoTeam[];
  members: DemoMember[];
  /** Towns with the grassroots centre that serves them. */
  towns: Array<{ code: string; countyCode: string; name: string; centreId: string }>;
}

export function personName(rng: Random, sex: 'male' | 'female'): string {
  const chars = sex === 'male' ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.7) ? rng.pick([...chars]) + rng.pick([...chars]) : rng.pick([...chars]);
  return rng.weighted(SURNAMES) + given;
}

const STREETS = ['健康路', '人民路', '中山路', '解放路', '建设街', '文昌路'];

const shortName = (county: Region) => county.name.replace(/(区|县|市)$/, '');

export function buildCity(rng: Random, regions: Region[], cityCode: string): DemoCity {
  const city = regions.find((r) => r.code === cityCode);
  if (!city) throw new Error(`region ${cityCode} is not in data/regions.json`);
  const counties = regions.filter((r) => r.parent === cityCode && r.level === 'county');
  const out: DemoCity = { communities: [], institutions: [], practitioners: [], teams: [], members: [], towns: [] };
  let licence = 0;
  const staff = (institutionId: string, profession: DemoPractitioner['profession']) => {
    const p = { id: rng.uuid(), name: personName(rng, rng.chance(0.5) ? 'male' : 'female'), profession, institution_id: institutionId, license_no: `${cityCode}${String(++licence).padStart(8, '0')}` };
    out.practitioners.push(p);
    return p;
  };
  // addresses and phones follow from the institution's number, not the random stream, so adding
  // them left every other generated row as it was (0573: Jiaxing's area code)
  const institution = (fields: Omit<DemoInstitution, 'id' | 'code' | 'address' | 'phone'>) => {
    const n = out.institutions.length + 1;
    const town = regions.find((r) => r.code === fields.region_code)?.name ?? '';
    const address = `${town}${STREETS[n % STREETS.length]}${(n * 37) % 300 + 1}号`;
    const inst = { id: rng.uuid(), code: `${fields.county_code}-${String(n).padStart(4, '0')}`, ...fields, address, phone: `0573-8${String(2000000 + n * 113).slice(-7)}` };
    out.institutions.push(inst);
    return inst;
  };

  counties.forEach((county, countyIndex) => {
    const towns = regions.filter((r) => r.parent === county.code && r.level === 'town');
    const community = { id: rng.uuid(), name: `${shortName(county)}医共体`, county_code: county.code };
    out.communities.push(community);
    const seat = towns[0]?.code ?? county.code;
    const base = { county_code: county.code, medical_community_id: community.id };
    // the city's tertiary hospital sits in the first district; every county has a secondary hospital leading its community
    if (countyIndex === 0) institution({ ...base, name: `${city.name}第一医院`, level: 'tertiary', kind: 'hospital', region_code: seat, upper_institution_id: null });
    const hospital = institution({ ...base, name: `${shortName(county)}人民医院`, level: 'secondary', kind: 'hospital', region_code: seat, upper_institution_id: null });
    for (let k = 0; k < 4; k++) staff(hospital.id, 'doctor');
    for (let p = 1; p <= 3; p++) {
      const shop = institution({ ...base, name: `康民大药房（${shortName(county)}${p}店）`, level: 'pharmacy', kind: 'pharmacy', region_code: rng.pick(towns).code, upper_institution_id: null });
      staff(shop.id, 'pharmacist');
    }
    for (const town of towns) {
      const isStreet = town.name.endsWith('街道');
      const centre = institution({
        ...base,
        name: isStreet ? `${town.name.replace(/街道$/, '')}街道社区卫生服务中心` : `${town.name}卫生院`,
        level: 'grassroots',
        kind: isStreet ? 'community_health_centre' : 'township_health_centre',
        region_code: town.code,
        upper_institution_id: hospital.id,
      });
      out.towns.push({ code: town.code, countyCode: county.code, name: town.name, centreId: centre.id });
      staff(centre.id, 'pharmacist');
      if (!isStreet) {
        for (const village of [rng.pick(VILLAGE_NAMES), rng.pick(VILLAGE_NAMES)].filter((v, i, a) => a.indexOf(v) === i))
          institution({ ...base, name: `${town.name}${village}村卫生室`, level: 'grassroots', kind: 'village_clinic', region_code: town.code, upper_institution_id: centre.id });
      }
      const teamCount = rng.int(2, 4);
      for (let t = 0; t < teamCount; t++) {
        const gp = staff(centre.id, 'doctor');
        const team = { id: rng.uuid(), name: `${gp.name}家庭医生团队`, institution_id: centre.id, leader_id: gp.id, town_code: town.code, phone: `1385730${String(out.teams.length + 1).padStart(4, '0')}` };
        out.teams.push(team);
        out.members.push(
          { team_id: team.id, practitioner_id: gp.id, member_role: 'gp' },
          { team_id: team.id, practitioner_id: staff(centre.id, 'nurse').id, member_role: 'nurse' },
          { team_id: team.id, practitioner_id: staff(centre.id, 'public_health').id, member_role: 'public_health' },
          // the "X": a specialist from the county hospital
          { team_id: team.id, practitioner_id: rng.pick(out.practitioners.filter((p) => p.institution_id === hospital.id)).id, member_role: 'specialist' },
        );
      }
    }
  });
  return out;
}
