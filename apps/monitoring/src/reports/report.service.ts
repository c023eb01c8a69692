import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@churn/db';
import {
  InterventionRepository,
  MonitoringModelRegistryRepository,
  MonitoringRepository,
  ReportRepository,
  type ReportPeriodBounds,
} from '@churn/monitoring-data';
import type { Logger, Registry } from '@churn/observability';
import { reportCsv, reportPdf, type Report } from '@churn/reports';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { MonitoringConfig } from '../config';
import { experimentReport } from '../experiments/experiment-report';
import { modelCardFacts, type ModelCardFacts } from '../model-cards/model-card';
import { periodQuality } from '../quality/period-quality';
import { economicsAssumptions, programmeEconomics } from '../roi/programme-economics';
import { AlertSlaTargets } from './alert-sla-targets';
import { alertSla, atRiskCustomers, experimentResult, interventionsDone, periodRoi, riskDistribution } from './report-figures';
import { reportMetrics, type ReportMetrics } from './report-metrics';
import { periodDays, previousPeriod, type ReportFormat } from './report-request';

export const REPORT_TITLE = 'Churn Radar retention report';

export interface RenderedReport {
  readonly report: Report;
  readonly format: ReportFormat;
  readonly filename: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** `churn-report_2026-03-01_2026-03-08.pdf`: the period in the name, to the second when it is not whole days. */
export function reportFilename(period: ReportPeriodBounds, format: ReportFormat): string {
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/T00:00:00\.000Z$/, '')
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/:/g, '');
  return `churn-report_${stamp(period.from)}_${stamp(period.to)}.${format}`;
}

/**
 * A retention report for any period [from, to): assembled from monitoring's tables (and, read-only,
 * the scorer's predictions and alerting's alerts) through ReportRepository, with ROI, quality and
 * experiments computed by the same functions as the rolling figures, then rendered by @churn/reports.
 */
@Injectable()
export class ReportService {
  private readonly reports = new ReportRepository();
  private readonly monitoring = new MonitoringRepository();
  private readonly interventions = new InterventionRepository();
  private readonly versions = new MonitoringModelRegistryRepository();
  private readonly logger: Logger;
  readonly metrics: ReportMetrics;

  constructor(
    private readonly database: Database,
    private readonly slaTargets: AlertSlaTargets,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ReportService.name });
    this.metrics = reportMetrics(registry);
  }

  /** The report as data. `top`: how many at-risk customers it lists. */
  async build(period: ReportPeriodBounds, top: number, now = new Date()): Promise<Report> {
    const db = this.database;
    const before = previousPeriod(period);
    const [current, previous, topRows, targets, groups, exposures, costs, experimentNames, versions] = await Promise.all([
      this.reports.riskLevels(db, period),
      this.reports.riskLevels(db, before),
      this.reports.topAtRisk(db, period, top),
      this.slaTargets.current(),
      this.reports.interventionGroups(db, period),
      this.reports.exposures(db, period),
      this.reports.interventionCosts(db, period),
      this.reports.experimentsScored(db, period),
      this.versions.versions(db),
    ]);
    const slaRows = await this.reports.alertSla(db, period, targets.seconds);
    const labelled = await this.monitoring.labelledPredictions(db, this.config.MONITORING_LABEL_DELAY_DAYS);
    const cards = new Map<string, ModelCardFacts>(versions.map((v) => [v.version, modelCardFacts(v.version, v.card)]));
    const assumptions = economicsAssumptions(this.config);
    const minimumPerArm = this.config.MONITORING_EXPERIMENT_MIN_PER_ARM;
    const roi = programmeEconomics('period', period.from, exposures, labelled, costs, assumptions, minimumPerArm, period.to);

    // Experiments as they stood at the period's end: outcomes observed and costs recorded before it.
    const knownByEnd = labelled.filter((r) => r.observed_at < period.to);
    const allCosts = experimentNames.length > 0 ? (await this.interventions.costsSince(db, null)).filter((c) => c.performed_at < period.to) : [];
    const experiments = [];
    for (const name of experimentNames) {
      const assignments = await this.monitoring.experimentAssignments(db, name);
      experiments.push(experimentResult(experimentReport(name, assignments, knownByEnd, allCosts, assumptions, minimumPerArm)));
    }

    return {
      title: REPORT_TITLE,
      generated_at: now.toISOString(),
      period: { from: period.from.toISOString(), to: period.to.toISOString(), days: periodDays(period) },
      previous_period: { from: before.from.toISOString(), to: before.to.toISOString(), days: periodDays(before) },
      risk: riskDistribution(current, previous),
      top_customers: { limit: top, customers: atRiskCustomers(topRows) },
      alert_sla: alertSla(slaRows, targets),
      interventions: interventionsDone(groups),
      roi: periodRoi(roi),
      quality: {
        label_delay_days: this.config.MONITORING_LABEL_DELAY_DAYS,
        models: periodQuality(labelled, cards, period.from, period.to).map((m) => ({
          model_version: m.model_version,
          role: m.role,
          outcomes: m.figures.count,
          churned: m.figures.positives,
          roc_auc: m.figures.roc_auc,
          pr_auc: m.figures.pr_auc,
          brier: m.figures.brier,
          lift_top_decile: m.figures.lift_top_decile,
          threshold: m.figures.threshold,
          precision: m.figures.precision,
          recall: m.figures.recall,
          cv_roc_auc: m.cv_roc_auc,
        })),
      },
      experiments,
    };
  }

  /** The report rendered as CSV or PDF, counted and timed by format. */
  async render(period: ReportPeriodBounds, format: ReportFormat, top: number): Promise<RenderedReport> {
    const [rendered] = await this.renderAll(period, [format], top);
    return rendered!;
  }

  /**
   * One report rendered in several formats (the e-mail attaches the PDF and the CSV of the same
   * figures). Each format counts in monitoring_reports_generated_total and its duration includes the
   * assembly it shared.
   */
  async renderAll(period: ReportPeriodBounds, formats: readonly ReportFormat[], top: number): Promise<RenderedReport[]> {
    const started = Date.now();
    try {
      const report = await this.build(period, top);
      const rendered: RenderedReport[] = [];
      for (const format of formats) {
        const body = format === 'pdf' ? await reportPdf(report) : Buffer.from(reportCsv(report), 'utf8');
        const seconds = (Date.now() - started) / 1000;
        this.metrics.duration.observe({ format }, seconds);
        this.metrics.generated.inc({ format });
        this.logger.info(
          {
            from: report.period.from,
            to: report.period.to,
            format,
            top,
            customers: report.risk.customers,
            bytes: body.length,
            duration_ms: Math.round(seconds * 1000),
          },
          'report generated',
        );
        rendered.push({
          report,
          format,
          filename: reportFilename(period, format),
          contentType: format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
          body,
        });
      }
      return rendered;
    } catch (error) {
      for (const format of formats) this.metrics.failures.inc({ format });
      this.logger.error({ from: period.from.toISOString(), to: period.to.toISOString(), formats, err: error }, 'report failed');
      throw error;
    }
  }
}
