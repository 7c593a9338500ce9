/**
 * An incremental parser of a server-sent-events stream (the subset the API server sends: `data`, `id`,
 * comments). Feed it text chunks; it returns the complete messages so far.
 */
export interface SseMessage {
  readonly id?: string;
  readonly data: string;
}

export class SseParser {
  #buffer = '';
  /** Number of comment lines seen (heartbeats). */
  comments = 0;

  push(chunk: string): SseMessage[] {
    this.#buffer += chunk.replace(/\r\n?/g, '\n');
    const out: SseMessage[] = [];
    let end = this.#buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const msg = parseBlock(block, () => this.comments++);
      if (msg) out.push(msg);
      end = this.#buffer.indexOf('\n\n');
    }
    return out;
  }
}

function parseBlock(block: string, onComment: () => void): SseMessage | undefined {
  const data: string[] = [];
  let id: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      onComment();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  return { ...(id !== undefined ? { id } : {}), data: data.join('\n') };
}
