/**
 * What a Slack incoming webhook refuses before posting, with the error string it answers (HTTP 400):
 * `invalid_payload` (not a JSON object, text too long), `no_text` (neither text nor blocks),
 * `invalid_blocks_format` (blocks not an array), `invalid_blocks` (more than 50 blocks, an unknown
 * block type, a required field missing, a text over its limit). The limits are Block Kit's
 * (https://api.slack.com/reference/block-kit/blocks, …/composition-objects, …/block-elements).
 * Returns undefined for a payload Slack would take.
 */
export function slackPayloadProblem(body: string): string | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return 'invalid_payload';
  }
  if (!isObject(payload)) return 'invalid_payload';
  const { text, blocks } = payload;
  if (text !== undefined && typeof text !== 'string') return 'invalid_payload';
  if (typeof text === 'string' && text.length > MAX_TEXT) return 'invalid_payload';
  if (blocks === undefined) return typeof text === 'string' && text.trim() !== '' ? undefined : 'no_text';
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length === 0 && !(typeof text === 'string' && text.trim() !== '')) return 'no_text';
  if (blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  return blocks.every(isValidBlock) ? undefined : 'invalid_blocks';
}

/** Slack truncates or refuses longer messages; webhooks answer 400. */
const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTextObject(value: unknown, max: number, types: readonly string[] = ['plain_text', 'mrkdwn']): boolean {
  return (
    isObject(value) && types.includes(value['type'] as string) && typeof value['text'] === 'string' && value['text'].length >= 1 && value['text'].length <= max
  );
}

function isValidBlock(block: unknown): boolean {
  if (!isObject(block)) return false;
  if (block['block_id'] !== undefined && (typeof block['block_id'] !== 'string' || block['block_id'].length > 255)) return false;
  switch (block['type']) {
    case 'header':
      return isTextObject(block['text'], 150, ['plain_text']);
    case 'section': {
      const { text, fields } = block;
      if (text === undefined && fields === undefined) return false;
      if (text !== undefined && !isTextObject(text, 3000)) return false;
      if (fields !== undefined && !(Array.isArray(fields) && fields.length >= 1 && fields.length <= 10 && fields.every((f) => isTextObject(f, 2000))))
        return false;
      return true;
    }
    case 'divider':
      return true;
    case 'context': {
      const elements = block['elements'];
      return Array.isArray(elements) && elements.length >= 1 && elements.length <= 10 && elements.every((e) => isTextObject(e, 3000) || isImageElement(e));
    }
    case 'actions': {
      const elements = block['elements'];
      return Array.isArray(elements) && elements.length >= 1 && elements.length <= 25 && elements.every(isButton);
    }
    case 'image':
      return typeof block['image_url'] === 'string' && typeof block['alt_text'] === 'string' && block['alt_text'].length <= 2000;
    default:
      return false;
  }
}

function isButton(element: unknown): boolean {
  if (!isObject(element) || element['type'] !== 'button' || !isTextObject(element['text'], 75, ['plain_text'])) return false;
  const url = element['url'];
  if (url !== undefined && (typeof url !== 'string' || url.length > 3000)) return false;
  const actionId = element['action_id'];
  return actionId === undefined || (typeof actionId === 'string' && actionId.length <= 255);
}

function isImageElement(element: unknown): boolean {
  return isObject(element) && element['type'] === 'image' && typeof element['image_url'] === 'string' && typeof element['alt_text'] === 'string';
}
