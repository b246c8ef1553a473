// /settlements/:id — the receipt (结算单) of one claim with print (window.print and the print
// stylesheet in counter.css), reversal (冲正/退费) and the way back to the counter.
import { ArrowLeftOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { Button, Card, Result, Skeleton, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { formatDateTime } from '../../format.ts';
import { counterErrorLines, useCounterDrugs, useSettlement } from './api.ts';
import { StatusTag } from './ClaimsList.tsx';
import Receipt from './Receipt.tsx';
import ReverseModal, { type ReverseTarget } from './ReverseModal.tsx';

export default function ReceiptView({ canReverse, counterPath }: { canReverse: boolean; counterPath: (personId: string | null) => string }) {
  const { t } = useTranslation();
  const { id } = useParams();
  const settlement = useSettlement(id);
  const drugs = useCounterDrugs();
  const byCode = new Map((drugs.data ?? []).map((d) => [d.code, d]));
  const [target, setTarget] = useState<ReverseTarget | null>(null);
  const [opening, setOpening] = useState(0);
  const s = settlement.data;

  const back = (
    <Link to={counterPath(s?.person.id ?? null)} data-testid="receipt-back">
      <Button icon={<ArrowLeftOutlined />}>{t('counter.receipt.back')}</Button>
    </Link>
  );

  if (settlement.isError) {
    return (
      <Card>
        <Result status="warning" title={t('counter.receipt.loadFailed')} subTitle={counterErrorLines(settlement.error).join('；')} extra={back} />
      </Card>
    );
  }

  return (
    <div className="page-stack counter-receipt-page">
      <div className="counter-receipt-toolbar no-print">
        <Space size={8} wrap>
          {back}
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!s} data-testid="receipt-print">
            {t('counter.receipt.print')}
          </Button>
          {s && canReverse && s.status === 'settled' ? (
            <Button
              danger
              icon={<RollbackOutlined />}
              data-testid="receipt-reverse"
              onClick={() => {
                setOpening((n) => n + 1);
                setTarget({ id: s.id, personName: s.person.name, serviceDate: s.serviceDate, amountFen: s.totals.amountFen, fundPayFen: s.totals.fundPayFen });
              }}
            >
              {t('counter.reverse.button')}
            </Button>
          ) : null}
        </Space>
        {s ? <StatusTag status={s.status} /> : null}
      </div>

      {s ? (
        <>
          <Receipt settlement={s} byCode={byCode} />
          <Card size="small" title={t('counter.receipt.history')} className="no-print" data-testid="receipt-history">
            <Timeline
              className="compact-timeline"
              items={s.history.map((h) => ({
                color: h.to === 'reversed' ? 'red' : 'green',
                content: (
                  <div data-testid="receipt-event" data-to={h.to}>
                    <Typography.Text strong>{t(`counter.status.${h.to}`, { defaultValue: h.to })}</Typography.Text>{' '}
                    <Typography.Text type="secondary" className="mono">
                      {formatDateTime(h.at)}
                    </Typography.Text>
                    {h.by ? <Typography.Text type="secondary"> · {h.by}</Typography.Text> : null}
                    {h.reason ? <div className="timeline-reason">{h.reason}</div> : null}
                  </div>
                ),
              }))}
            />
            <Typography.Text type="secondary" className="counter-key">
              {t('counter.receipt.key')}{t('counter.colon')}<span className="mono">{s.idempotencyKey}</span>
            </Typography.Text>
          </Card>
        </>
      ) : (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      <ReverseModal key={opening} target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
