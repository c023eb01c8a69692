/** A customer's feature state as ingest keeps it (table customer_state); attribute groups are null until their first event. */
export interface CustomerState {
  customerId: string;
  signedUpAt: string | null;
  gender: string | null;
  seniorCitizen: boolean | null;
  partner: boolean | null;
  dependents: boolean | null;
  profileUpdatedAt: string | null;
  contract: string | null;
  phoneService: boolean | null;
  multipleLines: string | null;
  internetService: string | null;
  onlineSecurity: string | null;
  onlineBackup: string | null;
  deviceProtection: string | null;
  techSupport: string | null;
  streamingTv: string | null;
  streamingMovies: string | null;
  paperlessBilling: boolean | null;
  paymentMethod: string | null;
  monthlyCharges: number | null;
  subscriptionUpdatedAt: string | null;
  totalCharges: number;
  invoicesPaid: number;
  lastEventAt: string;
  lastEventId: string;
}
