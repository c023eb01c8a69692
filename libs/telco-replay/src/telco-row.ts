import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { describeZodError } from '@churn/contracts';

const yesNo = z.enum(['Yes', 'No']);
const text = z.string().trim().min(1);

/** One customer of the IBM Telco file, as its columns read. */
export const telcoRowSchema = z.object({
  customerID: text,
  gender: text,
  SeniorCitizen: z.enum(['0', '1']),
  Partner: yesNo,
  Dependents: yesNo,
  tenure: z.string().regex(/^\d+$/, 'must be a whole number of months'),
  PhoneService: yesNo,
  MultipleLines: text,
  InternetService: text,
  OnlineSecurity: text,
  OnlineBackup: text,
  DeviceProtection: text,
  TechSupport: text,
  StreamingTV: text,
  StreamingMovies: text,
  Contract: text,
  PaperlessBilling: yesNo,
  PaymentMethod: text,
  MonthlyCharges: z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be an amount with at most two decimals'),
  // Blank for customers without an invoice yet: it means 0.
  TotalCharges: z.string().regex(/^\s*$|^\d+(\.\d{1,2})?$/, 'must be blank or an amount with at most two decimals'),
  Churn: yesNo.optional(),
});

export type TelcoRow = z.infer<typeof telcoRowSchema>;

export class TelcoCsvError extends Error {
  readonly code = 'TELCO_CSV_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'TelcoCsvError';
  }
}

/** Parses and checks a Telco CSV; a bad row fails the whole file with its line number and the field. */
export function parseTelcoCsv(content: string | Buffer): TelcoRow[] {
  const records = parse(content, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const ids = new Set<string>();
  return records.map((record, index) => {
    const checked = telcoRowSchema.safeParse(record);
    // Line numbers count the header as line 1.
    if (!checked.success) throw new TelcoCsvError(`line ${index + 2}: ${describeZodError(checked.error)}`);
    if (ids.has(checked.data.customerID)) throw new TelcoCsvError(`line ${index + 2}: customerID ${checked.data.customerID} appears twice`);
    ids.add(checked.data.customerID);
    return checked.data;
  });
}

/** An amount of the file in cents, exactly (no float arithmetic on the decimal string). */
export function toCents(amount: string): number {
  const trimmed = amount.trim();
  if (trimmed === '') return 0;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
