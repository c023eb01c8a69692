import { Body, Controller, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { attributesFromCsvRecord, batchOutputColumns, batchOutputRecord, cardFeatureSpec, type ModelCard } from '@churn/scoring';
import { ApiAnswer, RequireRoles, SERVICE_CONFIG, ValidationError, ZodValidationPipe } from '@churn/service-kit';
import type { ScorerConfig } from '../config';
import { ModelRegistryService } from '../models/model-registry.service';
import { PREDICT_ROLES, PredictAuthGuard } from './predict-auth.guard';
import { batchQuerySchema, predictRequestSchema, type PredictRequest } from './predict.schemas';
import { PredictService, type BatchItem } from './predict.service';
import { predictionAnswerSchema, predictionBatchAnswerSchema, type PredictionAnswer } from '@churn/contracts';

@ApiTags('predict')
@Controller('v1/predict')
@UseGuards(ThrottlerGuard, PredictAuthGuard)
@RequireRoles(...PREDICT_ROLES)
export class PredictController {
  constructor(
    private readonly predict: PredictService,
    private readonly models: ModelRegistryService,
    @Inject(SERVICE_CONFIG) private readonly config: ScorerConfig,
  ) {}

  @Post()
  @ApiAnswer('PredictionAnswer', predictionAnswerSchema)
  @HttpCode(200)
  @ApiOperation({ summary: "One customer's attributes → churn probability, risk, action, cost, revenue at risk and top factors" })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['features'],
      properties: {
        customer_id: { type: 'string' },
        features: { type: 'object', description: "The model inputs of the champion's feature spec, by name (GET /v1/models lists them)" },
      },
    },
  })
  async one(@Body(new ZodValidationPipe(predictRequestSchema)) body: PredictRequest): Promise<PredictionAnswer> {
    return this.predict.predictOne(body.customer_id, body.features);
  }

  @Post('batch')
  @ApiAnswer('PredictionBatchAnswer', predictionBatchAnswerSchema, { description: 'the rows in the order sent (JSON), or the CSV' })
  @ApiOperation({
    summary:
      "Many customers: a JSON array of {customer_id, features} (or flat rows keyed by the spec's id column), or a CSV upload (text/csv) with the spec's id column and one column per model input; response streamed (JSON array or CSV), same order",
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiQuery({ name: 'explain', required: false, enum: ['true', 'false'] })
  async batch(@Req() request: Request, @Res() response: Response, @Query(new ZodValidationPipe(batchQuerySchema)) query: z.output<typeof batchQuerySchema>) {
    const csv = (request.headers['content-type'] ?? '').startsWith('text/csv');
    const items = csv ? await this.readCsv(request) : this.readJson(request.body);
    const { model, rows } = this.predict.prepareBatch(items);
    // Keyed by the model's spec's id column (customerID for Telco), as `churn score` writes it.
    const idColumn = idColumnOf(model.card);
    const columns = batchOutputColumns(idColumn);
    response.status(200).setHeader('x-model-version', model.version);
    response.setHeader('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    if (csv) await write(response, stringify([columns]));
    else await write(response, '[');
    let first = true;
    for await (const chunk of this.predict.scoreBatch(model, items, rows, query.explain)) {
      if (csv) {
        await write(
          response,
          stringify(
            chunk.map((r) => batchOutputRecord(r.customerId, r.assessment, '', idColumn)),
            { columns },
          ),
        );
      } else {
        const text = chunk.map((r) => JSON.stringify({ customer_id: r.customerId, model_version: model.version, ...r.assessment })).join(',');
        await write(response, first ? text : `,${text}`);
        first = false;
      }
    }
    response.end(csv ? undefined : ']');
  }

  private readJson(body: unknown): BatchItem[] {
    if (!Array.isArray(body)) throw badBatch('(body)', 'must be a JSON array of customers (or send text/csv)');
    if (body.length === 0) throw badBatch('(body)', 'must not be empty');
    if (body.length > this.config.BATCH_MAX_ROWS) throw badBatch('(body)', `at most ${this.config.BATCH_MAX_ROWS} rows per request`);
    const idColumn = idColumnOf(this.models.current().champion.card);
    return body.map((item: unknown, index) => {
      if (typeof item !== 'object' || item === null) throw badBatch(`[${index}]`, 'must be an object');
      const record = item as Record<string, unknown>;
      const id = record['customer_id'] ?? record[idColumn];
      const customerId = typeof id === 'string' ? id : String(index);
      return { customerId, attributes: typeof record['features'] === 'object' && record['features'] !== null ? record['features'] : record };
    });
  }

  private async readCsv(request: Request): Promise<BatchItem[]> {
    const { card } = this.models.current().champion;
    const specs = card.features;
    const idColumn = idColumnOf(card);
    const items: BatchItem[] = [];
    const parser = request.pipe(parse({ columns: true, skip_empty_lines: true, trim: false, bom: true }));
    try {
      for await (const record of parser as AsyncIterable<Record<string, string>>) {
        if (items.length >= this.config.BATCH_MAX_ROWS) {
          request.unpipe(parser);
          throw badBatch('(body)', `at most ${this.config.BATCH_MAX_ROWS} rows per request`);
        }
        items.push({ customerId: record[idColumn] ?? record['customer_id'] ?? String(items.length), attributes: attributesFromCsvRecord(specs, record) });
      }
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw badBatch('(body)', `not a readable CSV: ${(error as Error).message}`);
    }
    if (items.length === 0) throw badBatch('(body)', 'has no data rows');
    return items;
  }
}

/** The customer id column of the tables a model reads: its spec's (the Telco spec's for a card without one). */
function idColumnOf(card: ModelCard): string {
  return cardFeatureSpec(card).spec.customer_id.column;
}

function badBatch(field: string, message: string): ValidationError {
  return new ValidationError([{ field, message }]);
}

function write(response: Response, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (response.destroyed) return reject(new Error('client went away'));
    if (response.write(text)) resolve();
    else response.once('drain', resolve);
  });
}
