import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { z } from 'zod';
import { Database } from '@churn/db';
import { PredictionHistoryRepository } from '@churn/scorer-data';
import { ApiAnswer, IdentifierParamPipe, JwtAuthGuard, RequireRoleOrHigher, ZodValidationPipe } from '@churn/service-kit';
import { type CustomerPredictions, customerPredictionsSchema } from '@churn/contracts';

const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  role: z.enum(['champion', 'shadow']).default('champion'),
});

@ApiTags('customers')
@Controller('v1/customers')
@UseGuards(ThrottlerGuard, JwtAuthGuard)
@RequireRoleOrHigher('agent')
@ApiBearerAuth()
export class CustomersController {
  private readonly history = new PredictionHistoryRepository();

  constructor(private readonly database: Database) {}

  @Get(':id/predictions')
  @ApiAnswer('CustomerPredictions', customerPredictionsSchema)
  @ApiOperation({ summary: "A customer's predictions, newest first, with the feature vector each one used (role agent or admin)" })
  async predictions(
    @Param('id', new IdentifierParamPipe('id')) customerId: string,
    @Query(new ZodValidationPipe(historyQuerySchema)) query: z.output<typeof historyQuerySchema>,
  ): Promise<CustomerPredictions> {
    const rows = await this.history.forCustomer(this.database, customerId, query);
    return {
      customer_id: customerId,
      predictions: rows.map((r) => ({
        ...r,
        intervention_cost: Number(r.intervention_cost),
        revenue_at_risk: Number(r.revenue_at_risk),
        experiment: r.experiment_name ? { name: r.experiment_name, arm: r.experiment_arm } : null,
        as_of: r.as_of.toISOString(),
        scored_at: r.scored_at.toISOString(),
      })),
    };
  }
}
