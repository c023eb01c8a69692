import { Controller, Get, Query } from '@nestjs/common';
import { ApiAnswer, ZodValidationPipe } from '@churn/service-kit';
import { roiSeriesQuerySchema, type RoiSeriesQuery } from '../roi/roi-series';
import { RoiSeriesService } from '../roi/roi-series.service';
import { roiSeriesSchema, type RoiSeries } from '@churn/contracts';

/** ROI over time for the web workspace's ROI page: aggregates only, so open like `/v1/roi`. */
@Controller('v1/metrics/roi')
export class RoiSeriesController {
  constructor(private readonly roi: RoiSeriesService) {}

  /** Per bucket (day or week) of [from, to): revenue at risk, programme cost, revenue saved, net benefit, ROI multiple. */
  @Get('series')
  @ApiAnswer('RoiSeries', roiSeriesSchema)
  async series(@Query(new ZodValidationPipe(roiSeriesQuerySchema)) query: RoiSeriesQuery): Promise<RoiSeries> {
    return this.roi.series(query);
  }
}
