import { buildDashboard, customVariable, labelVariable, prefixVariable, singleStat, timeSeries } from './panels';

/**
 * The three dashboards, as code: the JSON under deploy/grafana/dashboards/ is this file's output
 * (`deploy/grafana/check.sh` fails when they differ). Every metric named here is one the services
 * export (libs/kafka, libs/db, apps/*: check.sh greps the source for each).
 */

const SVC = 'service=~"$service"';
const RATE = '$__rate_interval';

/** histogram_quantile over a histogram's buckets, summed by the given labels. */
function quantile(q: number, histogram: string, by: string, matchers = SVC, range = RATE): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${histogram}_bucket{${matchers}}[${range}])))`;
}

export function pipelineHealth() {
  return buildDashboard({
    uid: 'churn-pipeline-health',
    title: 'Churn Radar — pipeline health',
    description:
      'Throughput, consumer lag, latency and errors of the five services (ingest, scorer, alerting, crm-sync, monitoring) around Kafka and Postgres.',
    from: 'now-1h',
    variables: [labelVariable('service', 'service', 'up{job="churn"}')],
    rows: [
      [
        'Services',
        [
          timeSeries({
            title: 'Services up',
            description: "1 while Prometheus scrapes the service's /metrics, 0 when the scrape fails.",
            queries: [{ expr: `up{job="churn", ${SVC}}`, legend: '{{service}}' }],
            min: 0,
            max: 1,
            width: 8,
          }),
          timeSeries({
            title: 'Process CPU (cores)',
            description: 'CPU seconds per second of each service process (prom-client default metrics).',
            queries: [{ expr: `sum by (service) (rate(process_cpu_seconds_total{${SVC}}[${RATE}]))`, legend: '{{service}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'Resident memory',
            description: 'Resident set size of each service process.',
            queries: [{ expr: `sum by (service) (process_resident_memory_bytes{${SVC}})`, legend: '{{service}}' }],
            unit: 'bytes',
            width: 8,
          }),
        ],
      ],
      [
        'Throughput',
        [
          timeSeries({
            title: 'Messages consumed / s',
            description: 'Messages the consumers finished, by service, topic and result (processed or dead_lettered).',
            queries: [
              {
                expr: `sum by (service, topic, result) (rate(churn_kafka_messages_consumed_total{${SVC}}[${RATE}]))`,
                legend: '{{service}} ← {{topic}} ({{result}})',
              },
            ],
            unit: 'msg/s',
          }),
          timeSeries({
            title: 'Messages produced / s',
            description: 'Messages published, by service and topic.',
            queries: [{ expr: `sum by (service, topic) (rate(churn_kafka_messages_produced_total{${SVC}}[${RATE}]))`, legend: '{{service}} → {{topic}}' }],
            unit: 'msg/s',
          }),
          timeSeries({
            title: 'Ingest: events / s by type and result',
            description: 'Customer events ingest handled, by event type and result.',
            queries: [{ expr: `sum by (event_type, result) (rate(ingest_events_total[${RATE}]))`, legend: '{{event_type}} ({{result}})' }],
            unit: 'ops',
          }),
          timeSeries({
            title: 'Scorer: predictions / s by model version',
            description: 'Customers scored from the feature stream, by model version, role and result.',
            queries: [
              { expr: `sum by (model_version, role, result) (rate(scorer_predictions_total[${RATE}]))`, legend: '{{model_version}} {{role}} ({{result}})' },
            ],
            unit: 'ops',
          }),
        ],
      ],
      [
        'Consumer lag',
        [
          timeSeries({
            title: 'Consumer lag by group and partition',
            description: 'Messages between the committed offset of each consumer group and the end of each partition.',
            queries: [{ expr: `sum by (group, topic, partition) (churn_kafka_consumer_lag_messages{${SVC}})`, legend: '{{group}} {{topic}}/{{partition}}' }],
          }),
          timeSeries({
            title: 'Consumer lag by service and topic',
            description: 'Lag summed over partitions: what the ChurnConsumerLagHigh alert watches (over 10,000 for 10 minutes).',
            queries: [{ expr: `sum by (service, topic) (churn_kafka_consumer_lag_messages{${SVC}})`, legend: '{{service}} ← {{topic}}' }],
          }),
        ],
      ],
      [
        'Latency',
        [
          timeSeries({
            title: 'Batch duration p50 / p99',
            description: 'Time from receiving a batch to committing its offset, retries included (ChurnBatchLatencyP99High fires at p99 over 5 s).',
            queries: [
              { expr: quantile(0.5, 'churn_kafka_batch_duration_seconds', 'service, topic'), legend: 'p50 {{service}} ← {{topic}}' },
              { expr: quantile(0.99, 'churn_kafka_batch_duration_seconds', 'service, topic'), legend: 'p99 {{service}} ← {{topic}}' },
            ],
            unit: 's',
          }),
          timeSeries({
            title: 'Produce duration p99',
            description: 'Time to publish a batch and get the acknowledgement of all in-sync replicas.',
            queries: [{ expr: quantile(0.99, 'churn_kafka_produce_duration_seconds', 'service, topic'), legend: '{{service}} → {{topic}}' }],
            unit: 's',
          }),
          timeSeries({
            title: 'DB query p99 by operation',
            description: 'Postgres statement duration, by service and repository operation.',
            queries: [{ expr: quantile(0.99, 'churn_db_query_duration_seconds', 'service, operation'), legend: '{{service}} {{operation}}' }],
            unit: 's',
          }),
          timeSeries({
            title: 'Event to feature p99 and inference p99',
            description: 'Ingest: event timestamp to published feature vector. Scorer: ONNX inference per batch, by role.',
            queries: [
              { expr: quantile(0.99, 'ingest_event_to_feature_seconds', 'service', 'service="ingest"'), legend: 'ingest event → feature' },
              { expr: quantile(0.99, 'scorer_inference_duration_seconds', 'role', 'service="scorer"'), legend: 'scorer inference ({{role}})' },
            ],
            unit: 's',
          }),
        ],
      ],
      [
        'Errors',
        [
          timeSeries({
            title: 'Handler failures / s',
            description: 'Failed attempts to process a batch, by service and kind (transient: retried in place; permanent: isolated and dead-lettered).',
            queries: [{ expr: `sum by (service, kind) (rate(churn_kafka_handler_failures_total{${SVC}}[${RATE}]))`, legend: '{{service}} {{kind}}' }],
            unit: 'ops',
          }),
          timeSeries({
            title: 'Dead letters / s',
            description: 'Messages written to a dead-letter topic, by service, DLQ topic and error code.',
            queries: [
              {
                expr: `sum by (service, dlq_topic, code) (rate(churn_kafka_dead_letters_total{${SVC}}[${RATE}]))`,
                legend: '{{service}} → {{dlq_topic}} ({{code}})',
              },
            ],
            unit: 'ops',
          }),
          timeSeries({
            title: 'Dead-letter ratio',
            description: 'Share of consumed messages that were dead-lettered, per service (ChurnConsumerErrorRateHigh fires over 5 % for 10 minutes).',
            queries: [
              {
                expr: `sum by (service) (rate(churn_kafka_messages_consumed_total{${SVC}, result="dead_lettered"}[${RATE}])) / clamp_min(sum by (service) (rate(churn_kafka_messages_consumed_total{${SVC}}[${RATE}])), 1e-9)`,
                legend: '{{service}}',
              },
            ],
            unit: 'percentunit',
            min: 0,
          }),
          timeSeries({
            title: 'DB query errors / s',
            description: 'Failed Postgres statements, by service and repository operation.',
            queries: [{ expr: `sum by (service, operation) (rate(churn_db_query_errors_total{${SVC}}[${RATE}]))`, legend: '{{service}} {{operation}}' }],
            unit: 'ops',
          }),
        ],
      ],
    ],
  });
}

const QUALITY = 'window="$window", cohort="all"';
const MODEL_LEGEND = '{{model_version}} ({{role}})';

export function modelQuality() {
  return buildDashboard({
    uid: 'churn-model-quality',
    title: 'Churn Radar — model quality',
    description:
      'Live quality of the deployed models (outcomes joined to the predictions they judge) and drift against the model card reference, as the monitoring service exports them.',
    from: 'now-7d',
    variables: [
      customVariable('window', 'window', ['24h', '7d', '30d', 'all'], '7d'),
      prefixVariable('dimension', 'cohort dimension', 'monitoring_model_roc_auc{cohort!="all"}', 'cohort', 'risk_level'),
    ],
    rows: [
      [
        'Quality by model version ($window, all customers)',
        [
          timeSeries({
            title: 'ROC-AUC',
            description: 'Area under the ROC curve of each model version over the window.',
            queries: [{ expr: `monitoring_model_roc_auc{${QUALITY}}`, legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'PR-AUC',
            description: 'Average precision of each model version over the window.',
            queries: [{ expr: `monitoring_model_pr_auc{${QUALITY}}`, legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'Lift in the top decile',
            description: 'Churn rate among the top-scored 10 % over the overall churn rate.',
            queries: [{ expr: `monitoring_model_lift_top_decile_ratio{${QUALITY}}`, legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 2,
            width: 8,
          }),
          timeSeries({
            title: 'Brier score',
            description: 'Mean squared error of the churn probability (lower is better).',
            queries: [{ expr: `monitoring_model_brier_score{${QUALITY}}`, legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'Expected calibration error',
            description: 'ECE over 10 equal-width bins (lower is better).',
            queries: [{ expr: `monitoring_model_calibration_error{${QUALITY}}`, legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'Precision, recall, F1 at the threshold',
            description: 'Classification figures at the decision threshold.',
            queries: [
              { expr: `monitoring_model_precision_ratio{${QUALITY}}`, legend: 'precision {{model_version}} ({{role}})' },
              { expr: `monitoring_model_recall_ratio{${QUALITY}}`, legend: 'recall {{model_version}} ({{role}})' },
              { expr: `monitoring_model_f1_score{${QUALITY}}`, legend: 'F1 {{model_version}} ({{role}})' },
            ],
            unit: 'percentunit',
            width: 8,
          }),
          timeSeries({
            title: 'Labelled outcomes',
            description: 'Outcomes joined to a prediction: how much evidence the figures above rest on.',
            queries: [{ expr: `monitoring_model_labelled_outcomes{${QUALITY}}`, legend: MODEL_LEGEND }],
            width: 12,
          }),
          timeSeries({
            title: 'ROC-AUC by $dimension cohort',
            description:
              "ROC-AUC of each cohort of one dimension (risk_level, and the cohorts of the feature spec's business section, e.g. contract and tenure_band for Telco): a model that is fine overall can fail one segment.",
            queries: [{ expr: `monitoring_model_roc_auc{window="$window", cohort=~"$dimension:.*"}`, legend: '{{model_version}} {{cohort}}' }],
            unit: 'none',
            decimals: 3,
            width: 12,
          }),
        ],
      ],
      [
        'Drift',
        [
          singleStat({
            title: 'Drift checks over threshold',
            description: 'Breached drift checks by model version and kind (feature_drift counts features; ChurnModelDrift fires on any).',
            queries: [{ expr: 'sum by (model_version, role, kind) (monitoring_drift_breaches)', legend: '{{model_version}} {{kind}}' }],
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            width: 12,
            height: 6,
          }),
          timeSeries({
            title: 'ROC-AUC drop from the model card',
            description: 'Relative drop of the live ROC-AUC (since deployment) from the cross-validated ROC-AUC of the model card.',
            queries: [{ expr: 'monitoring_model_roc_auc_drop_ratio', legend: MODEL_LEGEND }],
            unit: 'percentunit',
            width: 12,
            height: 6,
          }),
          timeSeries({
            title: 'Feature PSI (top 10)',
            description: 'Population Stability Index of each feature against the model card reference (0.1: watch, 0.25: drifted).',
            queries: [{ expr: 'topk(10, monitoring_feature_psi)', legend: '{{feature}} {{model_version}}' }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'Feature KS statistic (top 10)',
            description: 'Two-sample Kolmogorov–Smirnov statistic of each numeric feature against the reference.',
            queries: [{ expr: 'topk(10, monitoring_feature_ks_statistic)', legend: '{{feature}} {{model_version}}' }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
          timeSeries({
            title: 'Score PSI',
            description: 'PSI of the churn-probability distribution against the reference.',
            queries: [{ expr: 'monitoring_score_psi', legend: MODEL_LEGEND }],
            unit: 'none',
            decimals: 3,
            width: 8,
          }),
        ],
      ],
      [
        'Monitoring service',
        [
          timeSeries({
            title: 'Model alerts published / h',
            description: 'Model alerts the monitoring service published on model-alerts, by kind.',
            queries: [{ expr: 'sum by (kind) (increase(monitoring_model_alerts_total[1h]))', legend: '{{kind}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'Seconds since the last refresh',
            description: 'Age of the figures above (ChurnMonitoringRefreshStale fires over 300 s); refresh failures keep the previous figures.',
            queries: [{ expr: 'time() - monitoring_last_refresh_timestamp_seconds', legend: 'since refresh' }],
            unit: 's',
            width: 8,
          }),
          timeSeries({
            title: 'Predictions and outcomes / s',
            description: 'Predictions and outcomes the monitoring service took in, by result.',
            queries: [
              { expr: `sum by (role, result) (rate(monitoring_predictions_total[${RATE}]))`, legend: 'predictions {{role}} ({{result}})' },
              { expr: `sum by (result) (rate(monitoring_outcomes_total[${RATE}]))`, legend: 'outcomes ({{result}})' },
            ],
            unit: 'ops',
            width: 8,
          }),
        ],
      ],
      [
        'Scheduled jobs',
        [
          timeSeries({
            title: 'Job runs / h by status',
            description:
              'Attempts of the scheduled jobs (rescore, retrain, promotion-gate, label windows, reports) by how they ended: succeeded, retrying, failed, skipped, abandoned (ChurnJobFailed fires on failed or abandoned).',
            queries: [{ expr: 'sum by (job, status) (increase(churn_job_runs_total[1h]))', legend: '{{job}} {{status}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'Seconds since the last success',
            description: 'Per job, since its newest successful run; ChurnJobStale fires past two of its schedule intervals plus an hour.',
            queries: [{ expr: 'time() - max by (job) (churn_job_last_success_timestamp_seconds)', legend: '{{job}}' }],
            unit: 's',
            width: 8,
          }),
          timeSeries({
            title: 'Job duration (p90)',
            description: 'How long attempts take, by job.',
            queries: [{ expr: 'histogram_quantile(0.9, sum by (job, le) (rate(churn_job_duration_seconds_bucket[6h])))', legend: '{{job}}' }],
            unit: 's',
            width: 8,
          }),
        ],
      ],
    ],
  });
}

const ROI = 'window="$window", risk_level="all"';
const MONEY = [{ value: null, color: 'blue' }] as const;

export function businessRoi() {
  const money = (title: string, metric: string, description: string, thresholds: ReadonlyArray<{ value: number | null; color: string }> = MONEY) =>
    singleStat({ title, description, queries: [{ expr: `${metric}{${ROI}}`, legend: title }], unit: 'currencyUSD', decimals: 0, width: 4, thresholds });
  return buildDashboard({
    uid: 'churn-business-roi',
    title: 'Churn Radar — business ROI',
    description:
      'What the retention programme is worth: revenue at risk, programme cost, revenue saved and ROI (monitoring service), customer alerts by level and their acknowledgement SLA (alerting service), CRM hand-off (crm-sync).',
    from: 'now-7d',
    variables: [customVariable('window', 'window', ['24h', '7d', '30d', 'all'], '30d')],
    rows: [
      [
        'Programme economics ($window)',
        [
          money('Revenue at risk', 'monitoring_roi_revenue_at_risk_dollars', 'Monthly charges × CLV months of the customers scored in the window.'),
          money('Expected revenue loss', 'monitoring_roi_expected_revenue_loss_dollars', 'Sum of churn probability × revenue at risk.'),
          money('Programme cost', 'monitoring_roi_programme_cost_dollars', 'Cost of the interventions made in the window.'),
          money(
            'Revenue saved',
            'monitoring_roi_revenue_saved_dollars',
            'Measured by the experiment (treatment vs control) when there is one, else estimated from the configured success rate.',
          ),
          money('Net benefit', 'monitoring_roi_net_benefit_dollars', 'Revenue saved minus programme cost.', [
            { value: null, color: 'red' },
            { value: 0, color: 'green' },
          ]),
          singleStat({
            title: 'ROI multiple',
            description: 'Net benefit / programme cost.',
            queries: [{ expr: `monitoring_roi_multiple_ratio{${ROI}}`, legend: 'ROI' }],
            unit: 'x',
            decimals: 2,
            width: 4,
            thresholds: [
              { value: null, color: 'red' },
              { value: 0, color: 'green' },
            ],
          }),
          timeSeries({
            title: 'Net benefit by risk level',
            description: 'Revenue saved minus programme cost, per risk level of the alert that triggered the intervention.',
            queries: [{ expr: 'monitoring_roi_net_benefit_dollars{window="$window", risk_level!="all"}', legend: '{{risk_level}}' }],
            unit: 'currencyUSD',
          }),
          timeSeries({
            title: 'Customers scored and treated',
            description:
              'Customers with a champion prediction in the window, and those who received an intervention. Revenue saved is an estimate while "estimated" is 1.',
            queries: [
              { expr: `monitoring_roi_customers{${ROI}}`, legend: 'scored' },
              { expr: `monitoring_roi_treated_customers{${ROI}}`, legend: 'treated' },
              { expr: 'monitoring_roi_estimated{window="$window"}', legend: 'estimated' },
            ],
          }),
        ],
      ],
      [
        'Customer alerts',
        [
          timeSeries({
            title: 'Alerts created / h by level',
            description: 'Customer alerts the alerting service created, by level and the rule that fired.',
            queries: [{ expr: 'sum by (level, reason) (increase(alerting_alerts_created_total[1h]))', legend: '{{level}} ({{reason}})' }],
            stack: true,
          }),
          timeSeries({
            title: 'Predictions evaluated / s by outcome',
            description: 'What the alert rules decided for each prediction (alert, duplicate, below_threshold, control_arm, cooldown, open_intervention).',
            queries: [{ expr: `sum by (outcome) (rate(alerting_predictions_evaluated_total[${RATE}]))`, legend: '{{outcome}}' }],
            unit: 'ops',
            stack: true,
          }),
        ],
      ],
      [
        'Acknowledgement SLA',
        [
          timeSeries({
            title: 'Alerts pending by level',
            description: 'Alerts not yet acknowledged.',
            queries: [{ expr: 'sum by (level) (alerting_alerts_pending)', legend: '{{level}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'Alerts past SLA by level',
            description: "Pending alerts older than their level's time-to-acknowledge target.",
            queries: [{ expr: 'sum by (level) (alerting_alerts_past_sla)', legend: '{{level}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'Time to acknowledge p90 vs target',
            description: 'p90 of the time from alert creation to acknowledgement over the last day, against the target of the level (rules file).',
            queries: [
              { expr: quantile(0.9, 'alerting_time_to_acknowledge_seconds', 'level', 'service="alerting"', '1d'), legend: 'p90 {{level}}' },
              { expr: 'max by (level) (alerting_sla_target_seconds)', legend: 'target {{level}}' },
            ],
            unit: 's',
            width: 8,
          }),
        ],
      ],
      [
        'Delivery and CRM',
        [
          timeSeries({
            title: 'Notifications delivered / h by channel',
            description: 'Outbox rows delivered by the alerting service, by channel and form (single, digest); parked rows spent their retry budget.',
            queries: [
              { expr: 'sum by (channel, form) (increase(alerting_notifications_delivered_total[1h]))', legend: 'delivered {{channel}} {{form}}' },
              { expr: 'sum by (channel) (increase(alerting_notifications_parked_total[1h]))', legend: 'parked {{channel}}' },
            ],
            width: 8,
          }),
          timeSeries({
            title: 'CRM pushes / h by result',
            description: 'Outbox rows crm-sync handed to each CRM, by result (sent, retry, parked, rate_limited, outage, dry_run).',
            queries: [{ expr: 'sum by (target, result) (increase(crm_sync_pushes_total[1h]))', legend: '{{target}} {{result}}' }],
            width: 8,
          }),
          timeSeries({
            title: 'CRM outbox depth',
            description: 'Rows waiting (pending) or parked per CRM.',
            queries: [{ expr: 'sum by (target, status) (crm_sync_outbox_depth_rows)', legend: '{{target}} {{status}}' }],
            width: 8,
          }),
        ],
      ],
    ],
  });
}

/** File name (without .json) → dashboard. */
export const DASHBOARDS = {
  'pipeline-health': pipelineHealth,
  'model-quality': modelQuality,
  'business-roi': businessRoi,
} as const;
