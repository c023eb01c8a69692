import type { z } from 'zod';
import { alertSchema } from '../alert/alert.schema';
import { alertNotificationSchema } from '../alert-notification/alert-notification.schema';
import { alertUpdateSchema } from '../alert-update/alert-update.schema';
import { crmActivitySchema } from '../crm-activity/crm-activity.schema';
import { customerEventSchema } from '../customer-event/customer-event.schema';
import { customerFeaturesSchema } from '../customer-features/customer-features.schema';
import { deadLetterSchema } from '../dead-letter/dead-letter.schema';
import { interventionSchema } from '../intervention/intervention.schema';
import { modelRegistryChangeSchema } from '../model-registry/model-registry-change.schema';
import { modelAlertSchema } from '../model-alert/model-alert.schema';
import { outcomeSchema } from '../outcome/outcome.schema';
import { predictionSchema } from '../prediction/prediction.schema';
import { Topics } from './topics';

/** The value schema of every topic: consumers validate with it, producers check what they send. */
export const TOPIC_SCHEMAS = {
  [Topics.customerEvents]: customerEventSchema,
  [Topics.customerFeatures]: customerFeaturesSchema,
  [Topics.predictions]: predictionSchema,
  [Topics.predictionsShadow]: predictionSchema,
  [Topics.alerts]: alertSchema,
  [Topics.outcomes]: outcomeSchema,
  [Topics.modelAlerts]: modelAlertSchema,
  [Topics.interventions]: interventionSchema,
  [Topics.interventionsDlq]: deadLetterSchema,
  [Topics.customerEventsDlq]: deadLetterSchema,
  [Topics.customerFeaturesDlq]: deadLetterSchema,
  [Topics.outcomesDlq]: deadLetterSchema,
  [Topics.crmSyncDlq]: deadLetterSchema,
  [Topics.alertingDlq]: deadLetterSchema,
  [Topics.monitoringDlq]: deadLetterSchema,
  [Topics.alertUpdates]: alertUpdateSchema,
  [Topics.alertUpdatesDlq]: deadLetterSchema,
  [Topics.alertNotifications]: alertNotificationSchema,
  [Topics.crmActivity]: crmActivitySchema,
  [Topics.modelRegistry]: modelRegistryChangeSchema,
} as const satisfies Record<(typeof Topics)[keyof typeof Topics], z.ZodType>;

export type TopicSchemas = typeof TOPIC_SCHEMAS;
export type TopicValue<T extends keyof TopicSchemas> = z.output<TopicSchemas[T]>;
