import type { RiskLevel } from '@churn/contracts';

export interface RetentionAction {
  readonly action: string;
  readonly cost: number;
}

/** The operations guide's programme by risk level; issue 5 makes it configurable and factor-aware. */
export const DEFAULT_ACTIONS: Record<RiskLevel, RetentionAction> = {
  critical: { action: 'Urgent outreach by the account owner within 24 h', cost: 150 },
  high: { action: 'VIP retention programme', cost: 75 },
  medium: { action: 'Enhanced engagement campaign', cost: 25 },
  low: { action: 'Monitor', cost: 0 },
};
