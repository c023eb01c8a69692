import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiRedirect, IdentifierParamPipe } from '@churn/service-kit';

/**
 * The links alerting puts in Slack messages and e-mails (`DASHBOARD_URL` + `alerts/<id>`): they open
 * the dashboard with that alert shown on top (`/?alert=<id>`). A redirect rather than the page
 * itself, so the page's relative asset paths stay right.
 */
@Controller('alerts')
export class DashboardLinksController {
  @Get(':id')
  @ApiRedirect('to the dashboard with the alert shown on top (`/?alert=<id>`)')
  open(@Param('id', new IdentifierParamPipe('id')) id: string, @Res() res: Response): void {
    res.redirect(302, `../?alert=${encodeURIComponent(id)}`);
  }
}
