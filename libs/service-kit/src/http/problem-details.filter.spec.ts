import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, Global, HttpException, HttpStatus, Module, Post, Res, UseGuards, type CanActivate } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { z } from 'zod';
import { PROBLEM_JSON, problemDetailsSchema } from '@churn/contracts';
import type { Logger } from '@churn/observability';
import { DomainError } from '../errors/domain-error';
import { errorStatusesProvider, ErrorStatusTable } from './error-statuses';
import { AuthError } from './jwt-auth.guard';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestBodyErrors } from './request-body-error';
import { ZodValidationPipe } from './zod-validation.pipe';

class ProbeError extends DomainError<'PROBE_TAKEN' | 'PROBE_UNMAPPED'> {}

class RefuseAll implements CanActivate {
  canActivate(): boolean {
    throw new AuthError('UNAUTHENTICATED', 'a bearer token is required');
  }
}

@Controller()
class ProbeController {
  @Post('echo')
  echo(@Body(new ZodValidationPipe(z.object({ tenure: z.number().int() }))) body: { tenure: number }) {
    return body;
  }

  @Get('taken')
  taken() {
    throw new ProbeError('PROBE_TAKEN', 'probe 7 is taken', { holder: 'ada' });
  }

  @Get('unmapped')
  unmapped() {
    throw new ProbeError('PROBE_UNMAPPED', 'no status for this one');
  }

  @Get('boom')
  boom() {
    throw new Error('connect ECONNREFUSED postgres://churn:hunter2@db:5432');
  }

  @Get('guarded')
  @UseGuards(RefuseAll)
  guarded() {
    return 'never';
  }

  @Get('throttled')
  throttled(@Res({ passthrough: true }) res: Response) {
    // What @nestjs/throttler's guard does: set Retry-After, then throw its 429.
    res.header('Retry-After', '7');
    throw new HttpException('ThrottlerException: Too Many Requests', HttpStatus.TOO_MANY_REQUESTS);
  }
}

// As startService wires it: the core module shares the table, the service's module adds its codes.
const statuses = new ErrorStatusTable();

@Global()
@Module({ providers: [{ provide: ErrorStatusTable, useValue: statuses }], exports: [ErrorStatusTable] })
class CoreProbeModule {}

@Module({ imports: [CoreProbeModule], controllers: [ProbeController], providers: [errorStatusesProvider({ PROBE_TAKEN: HttpStatus.CONFLICT })] })
class ProbeModule {}

describe('ProblemDetailsFilter', () => {
  let app: NestExpressApplication;
  let url: string;
  const logged: Record<string, unknown>[] = [];

  before(async () => {
    const spy: Logger = { error: (fields: Record<string, unknown>) => void logged.push(fields), warn: () => undefined, child: () => spy } as unknown as Logger;
    app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter(statuses, spy, 'spec'));
    app.useBodyParser('json', { limit: '1kb' });
    app.use(requestBodyErrors);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  after(() => app.close());

  async function problemOf(path: string, init: RequestInit = {}) {
    const res = await fetch(`${url}${path}`, init);
    assert.equal(res.headers.get('content-type')?.split(';')[0], PROBLEM_JSON, path);
    const body = problemDetailsSchema.parse(await res.json());
    assert.equal(body.status, res.status, path);
    assert.equal(body.instance, path.split('?')[0]);
    return { res, body };
  }

  const post = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers a domain error with the status of its code, its detail and its extension members', async () => {
    const { res, body } = await problemOf('/taken');
    assert.equal(res.status, 409);
    assert.deepEqual(body, {
      type: 'urn:churn-radar:problem:PROBE_TAKEN',
      title: 'Conflict',
      status: 409,
      detail: 'probe 7 is taken',
      instance: '/taken',
      code: 'PROBE_TAKEN',
      holder: 'ada',
    });
  });

  it('names every refused field of a validation failure', async () => {
    const { res, body } = await problemOf('/echo', post('{"tenure":"long"}'));
    assert.equal(res.status, 400);
    assert.equal(body.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      body.errors?.map((e) => e.field),
      ['tenure'],
    );
  });

  it('answers malformed JSON 400 and a body over the limit 413', async () => {
    const malformed = await problemOf('/echo', post('{"tenure":'));
    assert.deepEqual([malformed.res.status, malformed.body.code], [400, 'MALFORMED_BODY']);
    const large = await problemOf('/echo', post(JSON.stringify({ tenure: 1, pad: 'x'.repeat(2000) })));
    assert.deepEqual([large.res.status, large.body.code], [413, 'PAYLOAD_TOO_LARGE']);
  });

  it('answers an unknown route 404', async () => {
    const { res, body } = await problemOf('/nowhere');
    assert.deepEqual([res.status, body.code, body.title], [404, 'NOT_FOUND', 'Not Found']);
  });

  it('answers 401 with WWW-Authenticate, and keeps the Retry-After of a 429', async () => {
    const denied = await problemOf('/guarded');
    assert.deepEqual([denied.res.status, denied.body.code, denied.res.headers.get('www-authenticate')], [401, 'UNAUTHENTICATED', 'Bearer realm="spec"']);
    const throttled = await problemOf('/throttled');
    assert.deepEqual([throttled.res.status, throttled.body.code, throttled.res.headers.get('retry-after')], [429, 'TOO_MANY_REQUESTS', '7']);
  });

  it('answers an unexpected error 500 without its message, logged under the request id it returns', async () => {
    const { res, body } = await problemOf('/boom', { headers: { 'x-request-id': 'req-42' } });
    assert.equal(res.status, 500);
    assert.equal(body.code, 'INTERNAL_ERROR');
    assert.equal(body.request_id, 'req-42');
    assert.doesNotMatch(JSON.stringify(body), /hunter2|ECONNREFUSED|postgres/);
    assert.ok(
      logged.some((fields) => fields['request_id'] === 'req-42' && /hunter2/.test(String(fields['err']))),
      JSON.stringify(logged),
    );
  });

  it('answers a code missing from the table 500, logged, rather than guessing a status', async () => {
    const { res, body } = await problemOf('/unmapped');
    assert.deepEqual([res.status, body.code], [500, 'INTERNAL_ERROR']);
    assert.match(String(logged.at(-1)?.['request_id']), /^[0-9a-f-]{36}$/);
  });
});

describe('ErrorStatusTable', () => {
  it("starts with the kit's codes and refuses a code two modules map to different statuses", () => {
    const table = new ErrorStatusTable({ PROBE_TAKEN: HttpStatus.CONFLICT });
    assert.equal(table.statusOf('UNAUTHENTICATED'), HttpStatus.UNAUTHORIZED);
    table.add({ PROBE_TAKEN: HttpStatus.CONFLICT, PROBE_GONE: HttpStatus.GONE });
    assert.equal(table.statusOf('PROBE_GONE'), HttpStatus.GONE);
    assert.throws(() => table.add({ PROBE_TAKEN: HttpStatus.BAD_REQUEST }), /PROBE_TAKEN maps to both 409 and 400/);
    assert.equal(table.statusOf('PROBE_TAKEN'), HttpStatus.CONFLICT);
    assert.equal(table.statusOf('PROBE_UNKNOWN'), undefined);
  });
});
