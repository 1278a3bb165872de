// The Markdown a scenario's instructions and hints are written in, read into plain data that a
// component draws with text interpolation only: nothing in a scenario file ever becomes HTML, so a
// `<script>` in it shows as the characters it is. The subset the scenarios use: paragraphs, headings,
// numbered and bulleted lists, indented or fenced code, and inline `code`, **strong** and *emphasis*.

export interface Inline {
  readonly kind: 'text' | 'code' | 'strong' | 'em';
  readonly text: string;
}

export type Block =
  | { readonly kind: 'p'; readonly inlines: Inline[] }
  | { readonly kind: 'h'; readonly level: number; readonly inlines: Inline[] }
  | { readonly kind: 'ol' | 'ul'; readonly items: Inline[][] }
  | { readonly kind: 'code'; readonly text: string };

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/;
const ORDERED = /^\s{0,3}\d{1,3}[.)]\s+(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

export function parseInline(text: string): Inline[] {
  return text.split(INLINE).filter((part) => part !== '').map((part): Inline => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return { kind: 'code', text: part.slice(1, -1) };
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return { kind: 'strong', text: part.slice(2, -2) };
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return { kind: 'em', text: part.slice(1, -1) };
    return { kind: 'text', text: part };
  });
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: { kind: 'ol' | 'ul'; items: string[] } | undefined;
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'p', inlines: parseInline(paragraph.join(' ')) });
    if (list) blocks.push({ kind: list.kind, items: list.items.map(parseInline) });
    paragraph = [];
    list = undefined;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      for (index++; index < lines.length && !FENCE.test(lines[index]!); index++) code.push(lines[index]!);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') { flush(); continue; }
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? null : BULLET.exec(line);
    const item = ordered ?? bullet;
    if (item) {
      const kind = ordered ? 'ol' : 'ul';
      if (!list || list.kind !== kind) { flush(); list = { kind, items: [] }; }
      list.items.push(item[1]!);
      continue;
    }
    if (list && /^\s+\S/.test(line)) { list.items[list.items.length - 1] += ` ${line.trim()}`; continue; }
    if (paragraph.length === 0 && /^( {4}|\t)/.test(line)) {
      flush();
      const code: string[] = [];
      for (; index < lines.length && (/^( {4}|\t)/.test(lines[index]!) || lines[index]!.trim() === ''); index++) code.push(lines[index]!.replace(/^( {4}|\t)/, ''));
      index--;
      blocks.push({ kind: 'code', text: code.join('\n').trimEnd() });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) { flush(); blocks.push({ kind: 'h', level: heading[1]!.length, inlines: parseInline(heading[2]!) }); continue; }
    if (list) flush();
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}
