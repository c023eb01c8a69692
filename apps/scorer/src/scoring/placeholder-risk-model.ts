import type { TelcoFeatures } from '@churn/contracts';

/**
 * PLACEHOLDER — not a trained model. The foundation needs a score so that one event can flow end to
 * end before the ONNX scorer lands (issue 5 replaces this class). It is a fixed hand-written logistic
 * rule over the attributes the churn literature names first; every prediction it makes is flagged
 * `placeholder: true` on the topic.
 */
export class PlaceholderRiskModel {
  static readonly version = 'placeholder-0';

  probability(features: TelcoFeatures): number {
    let logit = -1.2;
    if (features.Contract === 'Month-to-month') logit += 1.3;
    if (features.Contract === 'Two year') logit -= 1.2;
    if (features.InternetService === 'Fiber optic') logit += 0.6;
    if (features.PaymentMethod === 'Electronic check') logit += 0.5;
    if (features.TechSupport === 'No') logit += 0.3;
    logit -= Math.min(features.tenure, 72) * 0.035;
    return 1 / (1 + Math.exp(-logit));
  }
}
