export * from './claim';
export { compilePolicy, levelIndex, typeIndex, routeAt, type CompiledPolicy, type Reason, type Route } from './compile';
export { settle, lineCause, type Settlement, type SettledLine, type SettlementTotals } from './settle';
export { settleColumns, settleClaims, orderByDate, type ClaimColumns, type ColumnResults, type PersonClaim } from './batch';
export { MAX_AMOUNT_FEN, OUT_DEDUCTIBLE, OUT_COPAY, OUT_OVER_LIMIT, OUT_FUND, OUT_REMAINING, OUT_CRITICAL_ILLNESS, OUT_WIDTH } from './kernel';
export { priceAt, PRICE_KINDS, type PriceKind } from './pricing';
