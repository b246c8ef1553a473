// 确认结算: asks for confirmation with the quoted totals, then settles with the purchase's idempotency
// key. The key belongs to the purchase, not to the click: a double click, react-query's retry of a lost
// request or the cashier's "retry" all send the same key, and the server pays the claim at most once.
import { CheckCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { counterErrorLines, isUncertain, useSettle } from './api.ts';
import { Money } from './money.tsx';
import type { ClaimInput, Quote, Settlement } from './types.ts';

export default function SettleBar({
  input,
  quote,
  ready,
  purchaseKey,
  onSettled,
  onNewPurchase,
}: {
  /** The claim as it stands; null when there is nothing (complete) to settle. */
  input: ClaimInput | null;
  /** The quote of exactly `input`, when `ready`. */
  quote: Quote | undefined;
  ready: boolean;
  purchaseKey: string;
  onSettled: (s: Settlement) => void;
  /** Give up this purchase's key (after the key was used for other lines). */
  onNewPurchase: () => void;
}) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const settle = useSettle();
  const inFlight = useRef(false);
  const error = settle.error;
  const uncertain = error !== null && isUncertain(error);
  const keyReused = error instanceof ApiError && (error.problem.errors ?? []).some((e) => e.rule === 'idempotency_key_reused');

  // a refusal is about the lines as they were: once they change it no longer applies (an unknown
  // outcome, or a key already used for other lines, stays on screen until it is dealt with)
  const inputKey = JSON.stringify(input);
  const lastInput = useRef(inputKey);
  useEffect(() => {
    if (lastInput.current === inputKey) return;
    lastInput.current = inputKey;
    if (settle.isError && !uncertain && !keyReused) settle.reset();
  }, [inputKey, settle, uncertain, keyReused]);

  const send = async () => {
    if (!input || inFlight.current) return; // a second click while the first is on its way
    inFlight.current = true;
    try {
      const s = await settle.mutateAsync({ ...input, idempotencyKey: purchaseKey });
      onSettled(s);
    } catch {
      // shown below from settle.error
    } finally {
      inFlight.current = false;
    }
  };

  const confirm = () => {
    if (!input || !quote) return;
    const tq = quote.totals;
    void modal.confirm({
      title: t('counter.settle.confirmTitle'),
      icon: <CheckCircleOutlined className="counter-confirm__icon" />,
      width: 460,
      content: (
        <div data-testid="settle-confirm-content">
          <Descriptions
            size="small"
            column={1}
            bordered
            className="counter-confirm"
            items={[
              { key: 'amount', label: t('counter.quote.amountTotal'), children: <Money fen={tq.amountFen} unit /> },
              { key: 'fund', label: t('counter.quote.fundTotal'), children: <Money fen={tq.fundPayFen} unit strong /> },
              { key: 'self', label: t('counter.quote.selfTotal'), children: <Money fen={tq.selfPayFen} unit strong /> },
            ]}
          />
          <Typography.Paragraph type="secondary" className="counter-confirm__hint">
            {t('counter.settle.confirmHint', { lines: input.lines.length })}
          </Typography.Paragraph>
        </div>
      ),
      okText: t('counter.settle.ok'),
      okButtonProps: { 'data-testid': 'settle-confirm' },
      cancelText: t('common.cancel'),
      onOk: send,
    });
  };

  return (
    <div className="counter-settle" data-testid="settle-bar">
      {error ? (
        <Alert
          type={uncertain ? 'warning' : 'error'}
          showIcon
          className="form-alert"
          data-testid="settle-error"
          title={uncertain ? t('counter.settle.uncertain') : t('counter.settle.failed')}
          description={counterErrorLines(error).join('；')}
          action={
            keyReused ? (
              <Button size="small" onClick={() => { settle.reset(); onNewPurchase(); }} data-testid="settle-new-key">
                {t('counter.settle.newPurchase')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      <div className="counter-settle__row">
        <Space size={16} wrap>
          {quote && ready ? (
            <Typography.Text className="counter-settle__due">
              {t('counter.settle.due')} <Money fen={quote.totals.selfPayFen} unit strong testId="settle-due" />
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t('counter.settle.notReady')}</Typography.Text>
          )}
        </Space>
        <Button
          type="primary"
          size="large"
          icon={uncertain ? <ReloadOutlined /> : <CheckCircleOutlined />}
          disabled={!input || !ready || !quote}
          loading={settle.isPending}
          onClick={uncertain ? () => void send() : confirm}
          data-testid="settle-button"
        >
          {uncertain ? t('counter.settle.retry') : t('counter.settle.button')}
        </Button>
      </div>
      <Typography.Text type="secondary" className="counter-key" data-testid="purchase-key" data-key={purchaseKey}>
        {t('counter.settle.key')}{t('counter.colon')}<span className="mono">{purchaseKey.slice(0, 8)}</span>
      </Typography.Text>
    </div>
  );
}
