import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { CrmTarget } from '@churn/crm-sync-data';
import { type AuthenticatedRequest, JwtAuthGuard, RequireRoles, ZodValidationPipe } from '@churn/service-kit';
import { IntegrationsService } from './integrations.service';

const crmParamSchema = z.enum(['salesforce', 'hubspot']);

@ApiTags('integrations')
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Get()
  @ApiOperation({ summary: 'Each CRM integration: enabled, active or paused (and why), held after a rate limit (until when)' })
  list() {
    return this.integrations.list();
  }

  @Post(':crm/resume')
  @HttpCode(200)
  @UseGuards(JwtAuthGuard)
  @RequireRoles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Resume a paused CRM integration (admin): its waiting rows are pushed again' })
  resume(@Param('crm', new ZodValidationPipe(crmParamSchema)) crm: CrmTarget, @Req() request: AuthenticatedRequest) {
    return this.integrations.resume(crm, request.principal!.subject);
  }
}
