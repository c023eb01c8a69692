import { RISK_LEVELS, riskLevelRank, type RiskLevel } from '@churn/contracts';
import type { LevelTargets } from '@churn/alerting-data';

/** The deadline to acknowledge an alert: its creation plus its level's SLA target. */
export function dueAt(createdAt: Date, level: RiskLevel, targets: Record<RiskLevel, number>): Date {
  return new Date(createdAt.getTime() + targets[level] * 1000);
}

/** Overdue: still pending past its deadline. An acknowledged, expired or resolved alert is never overdue. */
export function isOverdue(status: string, due: Date, now: Date): boolean {
  return status === 'pending' && due.getTime() < now.getTime();
}

/** The SLA targets (seconds per level) in the shape the queue repository joins on, with each level's severity rank. */
export function levelTargets(targets: Record<RiskLevel, number>): LevelTargets {
  return {
    levels: [...RISK_LEVELS],
    targetSeconds: RISK_LEVELS.map((level) => targets[level]),
    ranks: RISK_LEVELS.map((level) => riskLevelRank(level)),
  };
}
