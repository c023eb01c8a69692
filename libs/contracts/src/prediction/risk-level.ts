import { z } from 'zod';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const riskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevelSchema>;

/** Lower bounds on the 0–100 risk score; defaults from the operations guide. */
export interface RiskThresholds {
  readonly critical: number;
  readonly high: number;
  readonly medium: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { critical: 80, high: 60, medium: 40 };

export function riskScoreOf(probability: number): number {
  return Math.round(Math.min(1, Math.max(0, probability)) * 100);
}

export function riskLevelOf(riskScore: number, thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS): RiskLevel {
  if (riskScore >= thresholds.critical) return 'critical';
  if (riskScore >= thresholds.high) return 'high';
  if (riskScore >= thresholds.medium) return 'medium';
  return 'low';
}

export function riskLevelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}
