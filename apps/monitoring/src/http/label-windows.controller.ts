import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { labelWindowsAnswerSchema, zonedTimestamp, type LabelWindowsAnswer } from '@churn/contracts';
import { ApiAnswer, JwtAuthGuard, RequireRoles, ZodValidationPipe } from '@churn/service-kit';
import { LabelWindowsService } from '../label-windows/label-windows.service';

const closeBody = z.object({ now: zonedTimestamp.optional() }).strict().default({});

/** The label-window job on demand (admins): what a scheduler runs, with the counts it returns. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('v1/outcomes')
@UseGuards(JwtAuthGuard)
@RequireRoles('admin')
export class LabelWindowsController {
  constructor(private readonly windows: LabelWindowsService) {}

  @Post('close-windows')
  @ApiAnswer('LabelWindowsAnswer', labelWindowsAnswerSchema)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close label windows (admin): churned:false for every customer whose window closed without a churn',
    description:
      'Body (optional): `{ "now": ISO-8601 }`, the time the windows are closed at (default: the current time). Answers the counts: window_days, windows_due, churned_in_window, labelled_in_window, recorded, already_recorded. Running it again records nothing twice.',
  })
  @ApiResponse({ status: 401, description: 'no bearer token, or a refused one' })
  @ApiResponse({ status: 403, description: 'the token lacks the admin role' })
  async close(@Body(new ZodValidationPipe(closeBody)) body: z.output<typeof closeBody>): Promise<LabelWindowsAnswer> {
    const now = body.now === undefined ? new Date() : new Date(body.now);
    const r = await this.windows.close(now);
    return {
      now: now.toISOString(),
      window_days: this.windows.windowDays,
      windows_due: r.windowsDue,
      churned_in_window: r.churnedInWindow,
      labelled_in_window: r.labelledInWindow,
      recorded: r.recorded,
      already_recorded: r.alreadyRecorded,
    };
  }
}
