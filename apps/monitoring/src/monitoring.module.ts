import { Module } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { DatabaseModule, errorStatusesProvider, JwtAuthGuard, KafkaModule, SESSION_AUTHENTICATOR } from '@churn/service-kit';
import { SessionService } from './auth/session.service';
import { SignInController } from './auth/sign-in.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { CustomerPopulationService } from './customers/customer-population.service';
import { CustomerReadModel } from './customers/customer-read-model.service';
import { CustomersService } from './customers/customers.service';
import { AlertQueueProxyController } from './http/alert-queue-proxy.controller';
import { AlertsProxyController } from './http/alerts-proxy.controller';
import { CustomersController } from './http/customers.controller';
import { DashboardLinksController } from './http/dashboard-links.controller';
import { IntegrationsProxyController } from './http/integrations-proxy.controller';
import { SandboxOutboxController } from './http/sandbox-outbox.controller';
import { MonitoringController } from './http/monitoring.controller';
import { JobRunsController } from './http/job-runs.controller';
import { PeopleRecordsController } from './http/people-records.controller';
import { ReportsController } from './http/reports.controller';
import { LabelWindowsController } from './http/label-windows.controller';
import { UpstreamForwarder } from './http/upstream-forwarder';
import { AlertNotificationsHandler } from './inbound/alert-notifications.handler';
import { AlertUpdatesHandler } from './inbound/alert-updates.handler';
import { CrmActivityHandler } from './inbound/crm-activity.handler';
import { ModelRegistryHandler } from './inbound/model-registry.handler';
import { AlertsHandler } from './inbound/alerts.handler';
import { CustomerFeaturesHandler } from './inbound/customer-features.handler';
import { InterventionsHandler } from './inbound/interventions.handler';
import { OutcomesHandler } from './inbound/outcomes.handler';
import { PredictionIntake } from './inbound/prediction-intake.service';
import { MonitoringPredictionsHandler, ShadowPredictionsHandler } from './inbound/predictions.handler';
import { MonitoringJobsService } from './jobs/monitoring-jobs.service';
import { LabelWindowsService } from './label-windows/label-windows.service';
import { MonitoringSnapshotService } from './monitoring-snapshot.service';
import { PromotionGateService } from './promotion-gate/promotion-gate.service';
import { PeopleRecordsService } from './recorded/people-records.service';
import { AlertSlaTargets } from './reports/alert-sla-targets';
import { ReportMailService } from './reports/report-mail.service';
import { ReportService } from './reports/report.service';
import { ModelsProxyController } from './http/models-proxy.controller';
import { RoiSeriesController } from './http/roi-series.controller';
import { RoiSeriesService } from './roi/roi-series.service';
import { MONITORING_ERROR_STATUSES } from './http-error-statuses';

@Module({
  imports: [
    DatabaseModule,
    KafkaModule.forRoot({
      group: 'monitoring',
      consumer: {
        deadLetterTopic: Topics.monitoringDlq,
        handlers: [
          MonitoringPredictionsHandler,
          ShadowPredictionsHandler,
          OutcomesHandler,
          AlertsHandler,
          InterventionsHandler,
          CustomerFeaturesHandler,
          AlertUpdatesHandler,
          AlertNotificationsHandler,
          CrmActivityHandler,
          ModelRegistryHandler,
        ],
      },
    }),
  ],
  controllers: [
    SignInController,
    MonitoringController,
    AlertQueueProxyController,
    AlertsProxyController,
    SandboxOutboxController,
    IntegrationsProxyController,
    DashboardLinksController,
    PeopleRecordsController,
    ReportsController,
    JobRunsController,
    LabelWindowsController,
    ModelsProxyController,
    RoiSeriesController,
    CustomersController,
  ],
  providers: [
    SessionService,
    { provide: SESSION_AUTHENTICATOR, useExisting: SessionService },
    PredictionIntake,
    MonitoringPredictionsHandler,
    ShadowPredictionsHandler,
    OutcomesHandler,
    AlertsHandler,
    MonitoringSnapshotService,
    DashboardService,
    JwtAuthGuard,
    errorStatusesProvider(MONITORING_ERROR_STATUSES),
    UpstreamForwarder,
    PeopleRecordsService,
    AlertSlaTargets,
    ReportService,
    ReportMailService,
    PromotionGateService,
    MonitoringJobsService,
    LabelWindowsService,
    InterventionsHandler,
    RoiSeriesService,
    CustomerReadModel,
    CustomerFeaturesHandler,
    AlertUpdatesHandler,
    AlertNotificationsHandler,
    CrmActivityHandler,
    ModelRegistryHandler,
    CustomersService,
    CustomerPopulationService,
  ],
})
export class MonitoringModule {}
