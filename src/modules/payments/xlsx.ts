// A payment run as an .xlsx with Chinese headers: a sheet per model, a sheet of the months behind the
// capitation and the budget, and 计算依据 — the run, its hash, the rules' version and every parameter with its
// source — so the file explains itself. Money cells hold yuan (fen / 100, 2 decimals), rates a fraction.
import ExcelJS from 'exceljs';
import { textWidth } from '../../core/textWidth';
import { formatYuan } from '../../engine/money';
import type { PaymentReport } from './service';

type Cell = string | number | null;
const yuan = (fen: number | null | undefined): Cell => (fen === null || fen === undefined ? null : fen / 100);
const rate = (r: { numerator: number; denominator: number }): Cell => (r.denominator ? r.numerator / r.denominator : null);
const bp = (v: number | null): Cell => (v === null ? null : v / 10000);

interface Column { header: string; kind: 'text' | 'count' | 'money' | 'rate' | 'points' }
const FORMATS = { text: '@', count: '#,##0', money: '#,##0.00', rate: '0.0%', points: '0.00' };

function sheet(book: ExcelJS.Workbook, name: string, title: string, columns: Column[], rows: Cell[][]) {
  const ws = book.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
    views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }],
  });
  ws.getRow(1).values = [title];
  ws.mergeCells(1, 1, 1, columns.length);
  ws.getCell(1, 1).font = { name: '宋体', size: 13, bold: true };
  ws.getRow(2).values = columns.map((c) => c.header);
  ws.getRow(2).font = { name: '宋体', bold: true };
  ws.getRow(2).alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  for (const r of rows) ws.addRow(r);
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.numFmt = FORMATS[c.kind];
    col.width = Math.min(40, Math.max(10, textWidth(c.header) + 2, ...rows.map((r) => textWidth(String(r[i] ?? '')) + 2)));
  });
}

const text = (header: string): Column => ({ header, kind: 'text' });
const money = (header: string): Column => ({ header, kind: 'money' });
const count = (header: string): Column => ({ header, kind: 'count' });
const pct = (header: string): Column => ({ header, kind: 'rate' });

export const PERIOD_LABEL = (r: PaymentReport) => `${r.period.year}年${r.period.quarter ? `第${r.period.quarter}季度` : '全年'}（${r.period.start} 至 ${r.period.as_of}）`;

/** How a capitation's year end was taken: actual, or projected from the complete months. */
const yearEndBasis = (y: { basis: 'actual' | 'projected' } | null) => (y ? (y.basis === 'actual' ? '实际' : '按已完成月份推算') : '—');

export async function paymentsXlsx(r: PaymentReport, regionName: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'manbing';
  const res = r.results;
  const label = `${regionName} ${PERIOD_LABEL(r)}`;
  sheet(book, '机构汇总', `各机构应付医保支付汇总　${label}　单位：个、元`, [
    text('机构'), count('家庭医生团队数'), money('签约服务费'), money('标化工作当量购买'), text('按人头打包年末依据'), money('结余留用'), money('超支卫生院承担'), money('合计应付'),
  ], res.providers.map((p) => [
    p.institution_name, p.teams, yuan(p.contract_fee_fen), yuan(p.work_equivalent_fen),
    yearEndBasis(p.capitation), yuan(p.capitation?.retained_fen), yuan(p.capitation?.overrun_centre_fen), yuan(p.total_fen),
  ]));
  sheet(book, '按人头打包付费', `按人头打包付费（结余留用）　${label}　单位：人、元`, [
    text('乡镇'), text('卫生院'), count('参保人数'), money('人头标准'), money('人头总额'), money('打包额度（60%）'), money('转诊额度（40%）'),
    money('打包已支出（净）'), money('转诊已支出（净）'), money('审核追回（打包）'), money('审核追回（转诊）'), money('打包结余'), text('年末依据'), money('年末打包支出'), money('年末结余'), money('结余留用'),
    money('超支卫生院承担'), money('超支基金承担'), pct('高血压控制率'), pct('糖尿病控制率'),
  ], res.capitation.map((c) => [
    c.town_name, c.institution_name, c.insured, yuan(c.per_head_fen), yuan(c.fund_fen), yuan(c.package_fen), yuan(c.referral_pool_fen),
    yuan(c.package_cost_fen), yuan(c.referral_cost_fen), yuan(c.package_recovered_fen), yuan(c.referral_recovered_fen), yuan(c.balance_fen), yearEndBasis(c.year_end),
    yuan(c.year_end?.package_cost_fen), yuan(c.year_end?.balance_fen), yuan(c.year_end?.retained_fen), yuan(c.year_end?.overrun_centre_fen), yuan(c.year_end?.overrun_fund_fen),
    rate(c.control.hypertension), rate(c.control.diabetes),
  ]));
  sheet(book, '医共体总额预算', `医共体总额预算　${label}　单位：元`, [
    text('医共体'), money('上年预算内支出（基数）'), money('年度预算'), money('预算内已支出（净）'), money('审核追回'), money('长处方额外支付（预算外）'), money('年末推算支出'),
    money('年末推算结余'), text('推算方法'), count('签约参保人数'), money('签约参保人今年费用'), money('去年同期费用'), money('允许费用（去年×(1+增长)）'), money('节省'), money('奖励医共体'),
  ], res.budget.map((b) => [
    b.name, yuan(b.basis_fen), yuan(b.budget_fen), yuan(b.spent_fen), yuan(b.recovered_fen), yuan(b.long_rx_allowance_fen), yuan(b.projected_fen), yuan(b.projected_balance_fen),
    b.projection.method === 'actual' ? '全年实际' : `已完成 ${b.projection.complete_months} 个月支出 × 12 ÷ ${b.projection.complete_months}`,
    b.luohu.contracted, yuan(b.luohu.this_year_fen), yuan(b.luohu.last_year_fen), yuan(b.luohu.allowed_fen), yuan(b.luohu.saving_fen), yuan(b.luohu.paid_fen),
  ]));
  sheet(book, '签约服务费', `家庭医生签约服务费（“五率一比”考核）　${label}　单位：人月、分、元`, [
    text('家庭医生团队'), text('机构'), count('签约人月'), money('月标准'), money('应付基数'), pct('签约率'), pct('认定登记率'), pct('规范管理率'), pct('控制率'), pct('基层就诊率'),
    { header: '签约/非签约基层就诊比', kind: 'points' }, { header: '考核得分', kind: 'points' }, pct('支付比例'), money('签约服务费'),
  ], res.contract_fee.map((f) => [
    f.name, f.institution_name, f.resident_months, yuan(f.monthly_fen), yuan(f.base_fen),
    ...f.lines.slice(0, 5).map((l) => bp(l.value_bp)), f.lines[5].value_bp === null ? null : f.lines[5].value_bp / 10000, f.score / 100, bp(f.share_bp), yuan(f.fee_fen),
  ]));
  const services = res.work_equivalent[0]?.lines.map((l) => l.service) ?? [];
  const SERVICE_ZH: Record<string, string> = {
    follow_up_clinic: '门诊随访', follow_up_home: '入户随访', follow_up_phone: '电话随访', follow_up_online: '网络随访', continuous_prescription: '连续处方', integrated_visit: '一体化门诊',
  };
  sheet(book, '标化工作当量', `“两病”健康管理标化工作当量　${label}　单位：次、当量、元`, [
    text('家庭医生团队'), text('机构'), ...services.map((s) => count(SERVICE_ZH[s] ?? s)), { header: '标化工作当量', kind: 'points' }, money('购买金额'),
  ], res.work_equivalent.map((w) => [w.name, w.institution_name, ...w.lines.map((l) => l.count), w.equivalents_milli / 1000, yuan(w.value_fen)]));
  const months = [
    ...res.capitation.flatMap((c) => c.months.map((m) => ['按人头打包', c.town_name, m.month, yuan(m.package_fen), yuan(m.package_recovered_fen), yuan(m.package_cumulative_fen), yuan(m.package_pro_rata_fen), yuan(m.referral_fen)])),
    ...res.budget.flatMap((b) => b.months.map((m) => ['总额预算', b.name, m.month, yuan(m.within_fen), yuan(m.recovered_fen), yuan(m.cumulative_fen), yuan(m.budget_pro_rata_fen), yuan(m.long_rx_fen)])),
  ];
  sheet(book, '逐月支出', `逐月支出　${label}　单位：元`, [
    text('支付方式'), text('单位'), text('月份'), money('当月支出'), money('当月审核追回'), money('累计净支出'), money('额度按月分摊'), money('转诊／长处方支出'),
  ], months);
  const p = r.parameters;
  const src = (x: { cite?: { seed?: string; doc?: string; quote?: string }; local?: string }) => (x.cite ? `种子 ${x.cite.seed ?? x.cite.doc}：${x.cite.quote ?? ''}` : `本地参数：${x.local}`);
  sheet(book, '计算依据', `计算依据　${label}`, [text('项目'), text('值'), text('来源')], [
    ['计算批次', r.run.id, `${r.run.created_at} ${r.run.created_by}`], ['输入摘要（SHA-256）', r.run.inputs_hash, '同一输入重算得同一金额'], ['规则版本', r.run.version, 'src/engine/payment'],
    ['参数', p.id, p.name],
    ['人头标准（元/人/年）', formatYuan(p.capitation.per_head.fen), src(p.capitation.per_head)],
    ['转诊额度比例', `${p.capitation.referral_share.bp / 100}%`, src(p.capitation.referral_share)],
    ['打包额度比例', `${p.capitation.package_share.bp / 100}%`, src(p.capitation.package_share)],
    ['结余留用比例', `${p.capitation.balance_retained.bp / 100}%`, src(p.capitation.balance_retained)],
    ['超支卫生院承担比例', `${p.capitation.overrun_borne_by_centre.bp / 100}%`, src(p.capitation.overrun_borne_by_centre)],
    ['总额预算增长率', `${p.budget.growth.bp / 100}%`, src(p.budget.growth)],
    ['长处方天数（超过即预算外）', String(p.budget.long_prescription_days.days), src(p.budget.long_prescription_days)],
    ['罗湖允许增长率', `${p.budget.luohu.allowed_growth.bp / 100}%`, src(p.budget.luohu.allowed_growth)],
    ['签约服务费（元/人/月）', formatYuan(p.contract_fee.monthly.fen), src(p.contract_fee.monthly)],
    ...Object.entries(p.contract_fee.items).map(([k, v]) => [`考核：${k}`, `权重 ${v.weight.bp / 100}%，目标 ${v.target.bp / 100}${k === 'community_visit_ratio' ? '%（倍数×100）' : '%'}`, `${src(v.weight)}；${src(v.target)}`] as Cell[]),
    ['得分→支付比例', p.contract_fee.curve.points.map(([s, b]) => `${s}分→${b / 100}%`).join('，'), src(p.contract_fee.curve)],
    ['每当量金额（元）', formatYuan(p.work_equivalent.value.fen), src(p.work_equivalent.value)],
    ...Object.entries(p.work_equivalent.services).map(([k, v]) => [`当量：${SERVICE_ZH[k] ?? k}`, String(v.milli / 1000), src(v)] as Cell[]),
  ]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
