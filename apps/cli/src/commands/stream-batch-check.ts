/** One customer's churn probability from each side; the stream's is missing when the scorer stored none. */
export interface StreamBatchPair {
  readonly customerId: string;
  readonly batch: number;
  readonly stream: number | undefined;
}

export interface StreamBatchResult {
  /** Customers scored by both sides. */
  readonly compared: number;
  /** Of those, the ones whose probabilities differ by more than the tolerance. */
  readonly mismatches: readonly StreamBatchPair[];
  /** Table rows the stream has no prediction for. */
  readonly missingFromStream: readonly string[];
  /**
   * Streamed predictions of customers the table does not hold: the rescore's active customers include
   * those who cancelled before the snapshot (the table leaves them out), so these are counted, not compared.
   */
  readonly notInTable: readonly string[];
  readonly maxDifference: number;
  readonly tolerance: number;
}

/** Stream = batch holds when every table row was streamed and no pair differs beyond the tolerance. */
export function streamEqualsBatch(result: StreamBatchResult): boolean {
  return result.compared > 0 && result.mismatches.length === 0 && result.missingFromStream.length === 0;
}

/** Compares the batch scores of a table with the streamed predictions of the same customers. */
export function compareStreamWithBatch(batch: ReadonlyMap<string, number>, stream: ReadonlyMap<string, number>, tolerance = 1e-6): StreamBatchResult {
  const mismatches: StreamBatchPair[] = [];
  const missingFromStream: string[] = [];
  let compared = 0;
  let maxDifference = 0;
  for (const [customerId, probability] of batch) {
    const streamed = stream.get(customerId);
    if (streamed === undefined) {
      missingFromStream.push(customerId);
      continue;
    }
    compared += 1;
    const difference = Math.abs(streamed - probability);
    maxDifference = Math.max(maxDifference, difference);
    if (!(difference <= tolerance)) mismatches.push({ customerId, batch: probability, stream: streamed });
  }
  const notInTable = [...stream.keys()].filter((customerId) => !batch.has(customerId));
  return { compared, mismatches, missingFromStream, notInTable, maxDifference, tolerance };
}
