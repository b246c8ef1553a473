// Issue 13, getting real people in: the agency's roster and health-record diagnoses from CSV or .xlsx,
// through the admin screen's API and `manbing import`. Bad lines are reported with their number and
// reason before anything is written, good lines are written in one transaction (a dry run or a strict
// import with a refused line writes nothing), a file loaded again is unchanged, a changed line updated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerImport } from '../../src/cli/commands/import';
import { checkDigit } from '../../src/engine/identity/residentId';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let doctor: string;
let instAdmin: string;
let town: string;
let ownInstitution: string; // the institution administrator's code
let otherInstitution: string;
const dir = mkdtempSync(join(tmpdir(), 'manbing-roster-test-'));

const ROSTER_HEADER = 'name,sex,birth_date,id_number,phone,region_code,insurance_type,insured_since';
const DIAGNOSES_HEADER = 'id_number,disease_code,diagnosed_on,source,institution_code';

/** ID numbers first issued in Beijing (110105): the demo city (Jiaxing, 3304) never draws one. */
let serial = 0;
function newId(sex: 'male' | 'female' = 'female', birth = '1933-05-06') {
  const seq = 900 + 2 * (serial++ % 49) + (sex === 'male' ? 1 : 0);
  const body = `110105${birth.replaceAll('-', '')}${seq}`;
  return body + checkDigit(body);
}
const birthOf = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
const line = (id: string, over: Partial<Record<'name' | 'sex' | 'phone' | 'region' | 'type' | 'since' | 'birth', string>> = {}) =>
  [over.name ?? '王秀英', over.sex ?? (Number(id[16]) % 2 ? '男' : '女'), over.birth ?? birthOf(id), id, over.phone ?? '13912345678', over.region ?? town, over.type ?? 'resident', over.since ?? '2015-01-01'].join(',');

const upload = (cookie: string, kind: 'roster' | 'diagnoses', content: string | Buffer, extra: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/admin/imports/${kind}`, headers: { cookie }, payload: { name: `${kind}.csv`, contentBase64: Buffer.from(content).toString('base64'), ...extra } });

const personOf = (id: string) => t.database.db.selectFrom('person').selectAll().where('id_number', '=', id).executeTakeFirst();
const auditOf = (personId: string) => t.database.db.selectFrom('person_audit').select(['action', 'entity', 'detail', 'username']).where('person_id', '=', personId).orderBy('id').execute();

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  const pharmacy = await db.selectFrom('app_user as u').innerJoin('institution as i', 'i.id', 'u.institution_id').select(['i.id', 'i.code']).where('u.username', '=', 'pharmacist').executeTakeFirstOrThrow();
  ownInstitution = pharmacy.code;
  otherInstitution = (await db.selectFrom('institution').select('code').where('id', '!=', pharmacy.id).orderBy('code').limit(1).executeTakeFirstOrThrow()).code;
  await db.insertInto('app_user').values({ username: 'inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: pharmacy.id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
  [admin, doctor, instAdmin] = await Promise.all(['admin', 'doctor', 'inst-admin'].map((u) => t.login(u)));
  town = (await db.selectFrom('region').select('code').where('level', '=', 'town').where('code', 'like', '330402%').orderBy('code').limit(1).executeTakeFirstOrThrow()).code;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the roster through the admin screen’s API', () => {
  it('imports a good file: each person added, audited one by one, and the import itself', async () => {
    const [a, b] = [newId('male'), newId('female')];
    const res = await upload(admin, 'roster', `\uFEFF${ROSTER_HEADER}\r\n${line(a, { name: '张建国' })}\r\n${line(b, { phone: '', type: 'employee' })}\r\n`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'roster', format: 'csv', dryRun: false, written: true, lines: 2, summary: { added: 2, updated: 0, unchanged: 0, refused: 0 }, problems: [], problemsTotal: 0 });
    const pa = (await personOf(a))!;
    expect(pa).toMatchObject({ name: '张建国', sex: 'male', birth_date: birthOf(a), phone: '13912345678', region_code: town, insurance_type: 'resident', insured_since: '2015-01-01' });
    expect(await personOf(b)).toMatchObject({ sex: 'female', phone: null, insurance_type: 'employee' });
    expect(await t.database.db.selectFrom('person_id_number').select('person_id').where('id_number', '=', a).executeTakeFirst()).toEqual({ person_id: pa.id });
    const importId = res.json().importId;
    expect(await auditOf(pa.id)).toEqual([{ action: 'create', entity: 'person', detail: { import: importId }, username: 'admin' }]);
    const row = await t.database.db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'import.roster').where('entity_id', '=', importId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'create', detail: { file: 'roster.csv', added: 2, refused: 0, written: true } });
  });

  it('reports every bad line with its number, field, rule and reason; writes the good ones', async () => {
    const [good, badChecksum, badSex, dup] = [newId(), newId(), newId('male'), newId()];
    const wrong = badChecksum.slice(0, 17) + (badChecksum[17] === '1' ? '2' : '1');
    const file = [ROSTER_HEADER, line(good), line(wrong), line(badSex, { sex: '女' }), '', line(dup), line(dup, { name: '重复' }), line(newId(), { region: town.slice(0, 6), since: '2030-01-01' })].join('\n');
    const res = await upload(admin, 'roster', file);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ added: 1, updated: 0, unchanged: 0, refused: 5 });
    expect(body.problems.map((p: { line: number; field: string; rule: string }) => [p.line, p.field, p.rule])).toEqual([
      [3, 'id_number', 'id_checksum'],
      [4, 'sex', 'agrees_with_id_number'],
      [6, 'id_number', 'duplicate_in_file'],
      [7, 'id_number', 'duplicate_in_file'],
      [8, 'region_code', 'town_level'],
      [8, 'insured_since', 'not_future'],
    ]);
    expect(body.problems[1]).toMatchObject({ message: 'sex does not agree with the ID number (its 17th digit says male)', messageZh: '性别与身份证号不一致（第 17 位为奇数：男）' });
    expect(await personOf(good)).toBeDefined();
    for (const id of [badSex, dup]) expect(await personOf(id)).toBeUndefined();
  });

  it('a dry run says what would change and writes nothing; strict writes nothing when a line is refused', async () => {
    const id = newId();
    const file = `${ROSTER_HEADER}\n${line(id)}\n${line(newId(), { phone: '123' })}\n`;
    const dry = await upload(admin, 'roster', file, { dryRun: true });
    expect(dry.json()).toMatchObject({ dryRun: true, written: false, summary: { added: 1, refused: 1 }, problems: [{ line: 3, field: 'phone', rule: 'mobile_number' }] });
    const strict = await upload(admin, 'roster', file, { strict: true });
    expect(strict.json()).toMatchObject({ dryRun: false, written: false, summary: { added: 1, refused: 1 } });
    expect(await personOf(id)).toBeUndefined();
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'detail']).where('entity_id', '=', dry.json().importId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'read', detail: { dryRun: true, written: false } });
  });

  it('loaded again: unchanged; a changed line updates the person (an empty phone keeps the stored one)', async () => {
    const [a, b, c] = [newId(), newId(), newId()];
    const first = `${ROSTER_HEADER}\n${line(a)}\n${line(b)}\n${line(c)}\n`;
    expect((await upload(admin, 'roster', first)).json().summary).toEqual({ added: 3, updated: 0, unchanged: 0, refused: 0 });
    expect((await upload(admin, 'roster', first)).json().summary).toEqual({ added: 0, updated: 0, unchanged: 3, refused: 0 });
    const second = `${ROSTER_HEADER}\n${line(a, { phone: '13700000001', type: 'employee' })}\n${line(b, { phone: '' })}\n${line(c, { name: '王秀兰' })}\n`;
    const res = await upload(admin, 'roster', second);
    expect(res.json().summary).toEqual({ added: 0, updated: 2, unchanged: 1, refused: 0 });
    expect(await personOf(a)).toMatchObject({ phone: '13700000001', insurance_type: 'employee' });
    expect(await personOf(b)).toMatchObject({ phone: '13912345678' });
    const pc = (await personOf(c))!;
    expect(pc.name).toBe('王秀兰');
    expect((await auditOf(pc.id)).map((r) => [r.action, r.detail])).toEqual([['create', { import: expect.any(String) }], ['update', { import: res.json().importId, fields: ['name'] }]]);
  });

  it('reads an .xlsx: its first worksheet, date cells and number cells; an ID number stored as a number is refused', async () => {
    const [a, b] = [newId(), newId()];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('参保人员名单');
    workbook.addWorksheet('说明').addRow(['not read']);
    sheet.addRow(ROSTER_HEADER.split(','));
    sheet.addRow(['李桂兰', '女', new Date(`${birthOf(a)}T00:00:00Z`), a, 13800001111, Number(town), 'resident', new Date('2016-03-01T00:00:00Z')]);
    sheet.addRow(['数字号', '女', birthOf(b), Number(b.slice(0, 15)) * 1000, '', town, 'resident', '2016-03-01']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(admin, 'roster', bytes, { name: 'roster.xlsx' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ format: 'xlsx', lines: 2, summary: { added: 1, refused: 1 }, problems: [{ line: 3, field: 'id_number', rule: 'id_number_as_number' }] });
    expect(await personOf(a)).toMatchObject({ name: '李桂兰', birth_date: birthOf(a), phone: '13800001111', region_code: town, insured_since: '2016-03-01' });
  });

  it('names a GBK file, a wrong header and a file of another type instead of importing them', async () => {
    // "name,…\n张三,男,…" in GBK: 张三 D5C5 C8FD, 男 C4D0
    const gbk = Buffer.concat([Buffer.from(`${ROSTER_HEADER}\n`), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xc4, 0xd0]), Buffer.from(`,1933-05-06,${newId('male')},,${town},resident,2015-01-01\n`)]);
    const res = await upload(admin, 'roster', gbk);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body.file', rule: 'encoding_gbk', message: expect.stringContaining('GBK') }]);
    const header = await upload(admin, 'roster', 'name,sex,birthday\n');
    expect(header.statusCode).toBe(400);
    expect(header.json().errors[0]).toMatchObject({ rule: 'header', message: expect.stringContaining('missing: birth_date, id_number') });
    // the rule and the facts, for the web app to word in the user's language
    const misnamed = await upload(admin, 'roster', `${ROSTER_HEADER.replace('birth_date', 'Birthday')},,note\n`);
    expect(misnamed.json()).toMatchObject({ status: 400, code: 'bad_request' });
    expect(misnamed.json().errors).toEqual([{
      field: 'body.file', rule: 'header', message: expect.stringContaining('missing: birth_date'),
      columns: { expected: ROSTER_HEADER.split(','), missing: ['birth_date'], unknown: ['birthday', '', 'note'], repeated: [] },
    }]);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
    expect((await upload(admin, 'roster', png)).statusCode).toBe(415);
  });

  it('is the system administrator’s: a doctor and an institution administrator are refused (403, audited)', async () => {
    const file = `${ROSTER_HEADER}\n${line(newId())}\n`;
    expect((await upload(doctor, 'roster', file)).statusCode).toBe(403);
    expect((await upload(instAdmin, 'roster', file)).statusCode).toBe(403);
    const refused = await t.database.db.selectFrom('audit_log').select('username').where('action', '=', 'refused').where('entity', '=', 'roster.import').execute();
    expect(refused.map((r) => r.username).sort()).toEqual(['doctor', 'inst-admin']);
  });
});

describe('diagnoses', () => {
  let person: { id: string; id_number: string };
  beforeAll(async () => {
    const id = newId();
    await upload(admin, 'roster', `${ROSTER_HEADER}\n${line(id)}\n`);
    person = (await personOf(id))!;
  });
  const conditions = () => t.database.db.selectFrom('person_condition').select(['disease_code', 'diagnosed_on', 'source', 'institution_id']).where('person_id', '=', person.id).orderBy('disease_code').execute();

  it('adds conditions, refuses a person not on the roster, then updates by person and disease', async () => {
    const stranger = newId();
    const first = `${DIAGNOSES_HEADER}\n${person.id_number},hypertension,2020-03-01,screening,${otherInstitution}\n${person.id_number},diabetes,2021-05-01,self_report,\n${stranger},diabetes,2021-05-01,hospital,\n`;
    const res = await upload(admin, 'diagnoses', first);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ summary: { added: 2, updated: 0, unchanged: 0, refused: 1 }, problems: [{ line: 4, field: 'id_number', rule: 'person_exists' }] });
    expect((await conditions()).map((c) => [c.disease_code, c.diagnosed_on, c.source, c.institution_id === null])).toEqual([['diabetes', '2021-05-01', 'self_report', true], ['hypertension', '2020-03-01', 'screening', false]]);
    const again = await upload(admin, 'diagnoses', first.replace('2020-03-01,screening', '2019-11-20,hospital'));
    expect(again.json().summary).toEqual({ added: 0, updated: 1, unchanged: 1, refused: 1 });
    expect((await conditions())[1]).toMatchObject({ diagnosed_on: '2019-11-20', source: 'hospital' });
    expect((await auditOf(person.id)).filter((r) => r.entity === 'person_condition').map((r) => r.action)).toEqual(['create', 'create', 'update']);
  });

  it('an institution administrator imports only lines naming their own institution', async () => {
    const file = `${DIAGNOSES_HEADER}\n${person.id_number},coronary_heart_disease,2022-01-01,hospital,${ownInstitution}\n${person.id_number},copd,2022-01-01,hospital,${otherInstitution}\n${person.id_number},bronchial_asthma,2022-01-01,screening,\n`;
    const res = await upload(instAdmin, 'diagnoses', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ summary: { added: 1, refused: 2 }, problems: [{ line: 3, rule: 'own_institution' }, { line: 4, rule: 'own_institution' }] });
    expect((await conditions()).map((c) => c.disease_code)).toContain('coronary_heart_disease');
    expect((await upload(doctor, 'diagnoses', file)).statusCode).toBe(403);
  });
});

describe('manbing import', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });
  async function cli(...args: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
    const program = new Command('manbing').exitOverride();
    registerImport(program, { open: async () => ({ ctx: t.ctx, close: async () => {} }) });
    await program.parseAsync(['node', 'manbing', ...args]);
    const exitCode = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { stdout: stdout.join('\n'), stderr: stderr.join('\n'), exitCode };
  }

  it('exits 0 on a good file, 1 with file:line reasons (Chinese by default) when lines are refused', async () => {
    const file = join(dir, 'roster.csv');
    const id = newId();
    writeFileSync(file, `${ROSTER_HEADER}\n${line(id)}\n`);
    // without --as, the console's operating-system user imports, as system administrator, audited by that name
    const ok = await cli('import', 'roster', '--in', file);
    expect(ok).toMatchObject({ exitCode: 0, stderr: '' });
    const audited = await t.database.db.selectFrom('audit_log').select(['username', 'user_id']).where('entity', 'like', 'import%').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audited).toEqual({ username: `console:${userInfo().username}`, user_id: null });
    expect(ok.stdout).toContain(`参保人员名单 ${file}: 共 1 行; 新增 1，更新 0，未变 0，拒绝 0`);
    writeFileSync(file, `${ROSTER_HEADER}\n${line(id)}\n${line(newId(), { birth: '1933-02-30' })}\n`);
    const bad = await cli('import', 'roster', '--in', file, '--as', 'admin');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`${file}:3: birth_date: 出生日期「1933-02-30」不是真实的日期`);
    expect(bad.stdout).toContain('新增 0，更新 0，未变 1，拒绝 1');
    const en = await cli('import', 'roster', '--in', file, '--as', 'admin', '--lang', 'en', '--dry-run');
    expect(en.exitCode).toBe(1);
    expect(en.stderr).toContain(`${file}:3: birth_date: birth_date "1933-02-30" is not a calendar date`);
    expect(en.stdout).toContain('dry run: checked only, nothing was written');
  });

  it('exits 1 on an unreadable file, an unknown account, and an account without the permission', async () => {
    const file = join(dir, 'gbk.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(`${DIAGNOSES_HEADER}\n`), Buffer.from([0xd5, 0xc5, 0x2c, 0x0a])]));
    expect(await cli('import', 'diagnoses', '--in', file, '--as', 'admin')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('GBK（GB18030）编码') });
    expect(await cli('import', 'diagnoses', '--in', file, '--as', 'nobody')).toMatchObject({ exitCode: 1, stderr: '没有可用的账号 nobody' });
    expect(await cli('import', 'roster', '--in', file, '--as', 'doctor')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('does not allow') });
  });
});
