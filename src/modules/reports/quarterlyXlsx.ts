// The quarterly workbook as an .xlsx, ready to print: a sheet per table and insurance type, the report's
// title and period in the first rows, two header rows (groups merged over their columns), A4 landscape fit
// to one page wide, the title and header rows repeated on every page, panes frozen below the headers and
// right of the unit's name. Counts are integers, money yuan with 2 decimals (the cell holds fen / 100),
// rates a fraction shown as a per cent with 1 decimal (the cell holds numerator / denominator, unrounded).
import ExcelJS from 'exceljs';
import { textWidth } from '../../core/textWidth';
import { periodText, type ColumnKind, type QuarterlyPart, type QuarterlyTable, type QuarterlyWorkbook } from './quarterly';

export const NUMBER_FORMATS: Record<ColumnKind, string> = { count: '#,##0', money: '#,##0.00', rate: '0.0%' };
/** The rows above the data: title, table and period, two header rows. */
export const HEADER_ROWS = 4;

const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const FONT = '宋体';


function writeSheet(book: ExcelJS.Workbook, w: QuarterlyWorkbook, part: QuarterlyPart, t: QuarterlyTable) {
  const columns = t.columns.length + 1;
  const sheet = book.addWorksheet(t.sheetName, {
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `1:${HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: `&L${part.insuranceName} 表${t.number} ${t.name}&R第 &P 页，共 &N 页` },
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROWS, topLeftCell: `B${HEADER_ROWS + 1}`, activeCell: `B${HEADER_ROWS + 1}` }],
  });

  sheet.getRow(1).values = [part.title];
  sheet.mergeCells(1, 1, 1, columns);
  sheet.getCell(1, 1).font = { name: FONT, size: 14, bold: true };
  sheet.getCell(1, 1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 30;
  sheet.getRow(2).values = [`表${t.number} ${t.name}　　${periodText(w)}　　单位：人、人次、元`];
  sheet.mergeCells(2, 1, 2, columns);
  sheet.getCell(2, 1).font = { name: FONT, size: 10 };
  sheet.getCell(2, 1).alignment = { horizontal: 'left', vertical: 'middle' };

  // two header rows: a group's name over its columns; a column without a group spans both rows
  const [upper, lower] = [sheet.getRow(3), sheet.getRow(4)];
  upper.getCell(1).value = w.region.level === 'city' ? '县（市、区）' : '医疗机构';
  sheet.mergeCells(3, 1, 4, 1);
  for (let c = 0; c < t.columns.length; ) {
    const col = t.columns[c];
    let span = 1;
    while (col.group && t.columns[c + span]?.group === col.group) span++;
    if (col.group) {
      upper.getCell(c + 2).value = col.group;
      if (span > 1) sheet.mergeCells(3, c + 2, 3, c + 1 + span);
      for (let k = 0; k < span; k++) lower.getCell(c + 2 + k).value = t.columns[c + k].header;
    } else {
      upper.getCell(c + 2).value = col.header;
      sheet.mergeCells(3, c + 2, 4, c + 2);
    }
    c += span;
  }
  for (const row of [upper, lower]) {
    row.height = 32;
    for (let c = 1; c <= columns; c++) {
      const cell = row.getCell(c);
      cell.font = { name: FONT, size: 10, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = border;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    }
  }

  for (const r of t.rows) {
    const row = sheet.addRow([
      r.name,
      ...t.columns.map((c) => {
        const v = r.values[c.key];
        if (v === null || v === undefined) return '—';
        if (typeof v === 'object') return v.denominator === 0 ? '—' : v.numerator / v.denominator;
        return c.kind === 'money' ? v / 100 : v;
      }),
    ]);
    row.getCell(1).alignment = { horizontal: r.kind === 'total' ? 'center' : 'left', vertical: 'middle', wrapText: true };
    row.getCell(1).font = { name: FONT, size: 10, bold: r.kind === 'total' };
    row.getCell(1).border = border;
    t.columns.forEach((c, k) => {
      const cell = row.getCell(k + 2);
      cell.numFmt = NUMBER_FORMATS[c.kind];
      cell.font = { name: FONT, size: 10, bold: r.kind === 'total' };
      cell.alignment = { horizontal: typeof cell.value === 'string' ? 'center' : 'right', vertical: 'middle' };
      cell.border = border;
    });
  }

  const after = sheet.rowCount + 1;
  sheet.getRow(after).values = [t.note];
  sheet.mergeCells(after, 1, after, columns);
  sheet.getCell(after, 1).alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
  sheet.getCell(after, 1).font = { name: FONT, size: 9 };
  sheet.getRow(after).height = 30;
  sheet.getRow(after + 1).values = [`填报单位（盖章）：　　　　　　　　负责人：　　　　　　　　填表人：　　　　　　　　填报日期：${w.generatedOn}`];
  sheet.mergeCells(after + 1, 1, after + 1, columns);
  sheet.getCell(after + 1, 1).font = { name: FONT, size: 10 };

  sheet.getColumn(1).width = Math.min(40, Math.max(16, ...t.rows.map((r) => textWidth(r.name) + 2)));
  t.columns.forEach((c, k) => {
    sheet.getColumn(k + 2).width = Math.max(c.kind === 'money' ? 15 : 10, Math.min(16, textWidth(c.header) / 2 + 3));
  });
  sheet.pageSetup.printArea = `A1:${sheet.getColumn(columns).letter}${after + 1}`;
}

/** The workbook's bytes: for each report (城乡居民医保, then 职工医保) its tables, one sheet each. */
export async function quarterlyXlsx(w: QuarterlyWorkbook): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'manbing';
  book.title = `${w.region.name} ${w.period.label} “两病”季报表`;
  // the day it was made, not the instant: the document's properties say no more than its footer
  book.created = book.modified = new Date(`${w.generatedOn}T00:00:00Z`);
  for (const part of w.reports) for (const t of part.tables) writeSheet(book, w, part, t);
  return Buffer.from(await book.xlsx.writeBuffer());
}
