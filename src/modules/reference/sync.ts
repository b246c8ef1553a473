// The shipped catalogues (data/*.json) are copied into the database at every start, so a new
// release's catalogue reaches an existing database without a hand-run step. Upserts only:
// rows that records refer to are never deleted here.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { loadDiseases, loadDrugs, loadRegions, loadServicePackages } from './service';

export async function syncReferenceData(db: Database): Promise<void> {
  const regions = loadRegions();
  const diseases = loadDiseases();
  const drugs = loadDrugs();

  await db.transaction().execute(async (trx) => {
    // parents first: the list is ordered by level so each row's parent already exists
    const order = { province: 0, city: 1, county: 2, town: 3 };
    const sorted = [...regions].sort((a, b) => order[a.level] - order[b.level]);
    await trx
      .insertInto('region')
      .values(sorted.map((r) => ({ code: r.code, name: r.name, name_en: r.nameEn ?? null, level: r.level, parent_code: r.parent })))
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: sql.ref('excluded.name'), name_en: sql.ref('excluded.name_en') }))
      .execute();
    await trx
      .insertInto('disease')
      .values(diseases.map((d) => ({ code: d.code, name_zh: d.nameZh, name_en: d.nameEn, disease_group: d.group, icd10: d.icd10 })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          name_zh: sql.ref('excluded.name_zh'),
          name_en: sql.ref('excluded.name_en'),
          disease_group: sql.ref('excluded.disease_group'),
          icd10: sql.ref('excluded.icd10'),
        }),
      )
      .execute();
    const drugRows = drugs.map((d) => ({
      code: d.code, generic_name_zh: d.genericNameZh, generic_name_en: d.genericNameEn, form: d.form, strength: d.strength,
      pack_size: d.packSize, unit: d.unit, atc: d.atc, diseases: d.diseases, vbp: d.vbp, price_fen: d.priceFen, daily_units: d.dailyUnits,
      lists: d.lists,
    }));
    const updatable = Object.keys(drugRows[0]).filter((k) => k !== 'code') as Array<keyof (typeof drugRows)[number]>;
    await trx
      .insertInto('drug')
      .values(drugRows)
      .onConflict((oc) => oc.column('code').doUpdateSet(Object.fromEntries(updatable.map((k) => [k, sql.ref(`excluded.${k}`)]))))
      .execute();
    await trx
      .insertInto('service_package')
      .values(loadServicePackages().map((p) => ({
        code: p.code, name_zh: p.nameZh, name_en: p.nameEn, kind: p.kind, diseases: p.diseases, items: JSON.stringify(p.items), annual_fee_fen: p.annualFeeFen,
      })))
      .onConflict((oc) => oc.column('code').doUpdateSet({
        name_zh: sql.ref('excluded.name_zh'), name_en: sql.ref('excluded.name_en'), kind: sql.ref('excluded.kind'),
        diseases: sql.ref('excluded.diseases'), items: sql.ref('excluded.items'), annual_fee_fen: sql.ref('excluded.annual_fee_fen'),
      }))
      .execute();
  });
}
