import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../src/ingest/source.js';
import type { RawItem } from '../src/ingest/types.js';
import { readXmlFeed } from '../src/ingest/xml.js';
import { ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

const FEEDS = join(ROOT, 'fixtures', 'feeds');

async function* chunks(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size?: number): Promise<{ items: RawItem[]; error?: Error }> {
  const items: RawItem[] = [];
  try {
    for await (const item of readXmlFeed(chunks(text, size), 'feed.xml')) items.push(item);
  } catch (error) {
    return { items, error: error as Error };
  }
  return { items };
}

const records = (items: RawItem[]) => items.flatMap((i) => (i.kind === 'record' ? [i] : []));
const rss = (...items: string[]) =>
  `<?xml version="1.0"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>\n${items.join('\n')}\n</channel></rss>\n`;

describe('readXmlFeed', () => {
  it('reads RSS items field by field, whatever the chunk size', async () => {
    const text = rss(
      '<item><g:id>A1</g:id><g:title>Hat</g:title><link>https://s.test/a1</link></item>',
      '<item>\n<g:id>A2</g:id><g:title>Cap</g:title></item>',
    );
    for (const size of [1, 7, 4096]) {
      const { items, error } = await read(text, size);
      expect(error).toBeUndefined();
      expect(records(items).map((r) => ({ ...r.fields }))).toEqual([
        { 'g:id': 'A1', 'g:title': 'Hat', link: 'https://s.test/a1' },
        { 'g:id': 'A2', 'g:title': 'Cap' },
      ]);
      expect(records(items).map((r) => [r.line, r.column])).toEqual([
        [3, 1],
        [4, 1],
      ]);
    }
  });

  it('makes repeated elements a list and flattens nested ones with dots', async () => {
    const { items } = await read(
      rss(
        '<item><g:id>A1</g:id><g:title>Hat</g:title>',
        '<g:additional_image_link>https://i.test/1.jpg</g:additional_image_link><g:additional_image_link>https://i.test/2.jpg</g:additional_image_link>',
        '<g:shipping><g:country>US</g:country><g:price>4.95 USD</g:price></g:shipping></item>',
      ),
    );
    const fields = records(items)[0].fields;
    expect(JSON.parse(fields['g:additional_image_link'])).toEqual(['https://i.test/1.jpg', 'https://i.test/2.jpg']);
    expect(fields['g:shipping.country']).toBe('US');
    expect(fields['g:shipping.price']).toBe('4.95 USD');
    expect(fields['g:shipping']).toBeUndefined();
  });

  it('keeps the fields of repeated groups aligned, an absent one as an empty entry', async () => {
    const { items } = await read(
      rss(
        '<item><g:id>A1</g:id><g:title>Hat</g:title>',
        '<g:shipping><g:country>US</g:country><g:service>Standard</g:service><g:price>4.95 USD</g:price></g:shipping>',
        '<g:shipping><g:country>CA</g:country><g:price>9.95 USD</g:price></g:shipping>',
        '<g:shipping><g:country>MX</g:country><g:service>Express</g:service></g:shipping></item>',
      ),
    );
    const fields = records(items)[0].fields;
    expect(JSON.parse(fields['g:shipping.country'])).toEqual(['US', 'CA', 'MX']);
    expect(JSON.parse(fields['g:shipping.service'])).toEqual(['Standard', '', 'Express']);
    expect(JSON.parse(fields['g:shipping.price'])).toEqual(['4.95 USD', '9.95 USD', '']);
  });

  it('honours CDATA and entities', async () => {
    const { items } = await read(
      rss('<item><g:id>A&amp;1</g:id><g:title><![CDATA[<b>Bold</b> & plain]]></g:title><g:description>&#8722;15 &#xB0;C &lt;cold&gt;</g:description></item>'),
    );
    expect({ ...records(items)[0].fields }).toEqual({ 'g:id': 'A&1', 'g:title': '<b>Bold</b> & plain', 'g:description': '\u221215 \u00b0C <cold>' });
  });

  it('keeps HTML entities that XML does not define as written, and goes on', async () => {
    const { items, error } = await read(
      rss('<item><g:id>H1</g:id><g:title>Caf&eacute;&nbsp;mug</g:title></item>', '<item><g:id>H2</g:id><g:title>Cup</g:title></item>'),
    );
    expect(error).toBeUndefined();
    expect(records(items).map((r) => r.fields['g:title'])).toEqual(['Caf&eacute;&nbsp;mug', 'Cup']);
  });

  it('names Google attributes by namespace URI, not prefix, and reads Atom entries', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://base.google.com/ns/1.0" xmlns:o="urn:other">
<title>Shop</title><link href="https://s.test/"/>
<entry><x:id>E1</x:id><title>Hat</title><link href="https://s.test/e1"/><o:note>kept</o:note></entry>
</feed>`;
    const { items, error } = await read(atom);
    expect(error).toBeUndefined();
    expect({ ...records(items)[0].fields }).toEqual({ 'g:id': 'E1', title: 'Hat', link: 'https://s.test/e1', 'o:note': 'kept' });
  });

  it('keeps the items before invalid XML and names its line and column', async () => {
    const { items, error } = await read(
      rss('<item><g:id>A1</g:id><g:title>Hat</g:title></item>', '<item><g:id>A2</g:id><g:title>Cap</g:tilte></item>', '<item><g:id>A3</g:id></item>'),
    );
    expect(records(items).map((r) => r.fields['g:id'])).toEqual(['A1']);
    expect(error?.message).toMatch(/^feed\.xml line 4, column \d+: invalid XML \(.+\): the items before this point were loaded/);
    expect((error as { code?: string }).code).toBe('xml_syntax');
  });

  it('keeps the items before a cut and says the feed looks cut off', async () => {
    const { items, error } = await read(rss('<item><g:id>A1</g:id><g:title>Hat</g:title></item>', '<item><g:id>A2</g:id><g:ti').slice(0, -30));
    expect(records(items).map((r) => r.fields['g:id'])).toEqual(['A1']);
    expect(error?.message).toMatch(/the feed looks cut off/);
  });

  it('refuses an HTML page and other XML documents as not a feed', async () => {
    expect((await read('<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>')).error?.message).toMatch(
      /^feed\.xml: this is an HTML page, not a product feed/,
    );
    expect((await read('<?xml version="1.0"?><catalog><product/></catalog>')).error?.message).toMatch(/the root element is <catalog>, not a feed/);
  });
});

describe('XML feeds through openSource', () => {
  it('decodes the encoding the declaration names (ISO-8859-1 Atom fixture)', async () => {
    const source = await openSource(join(FEEDS, 'merchant-atom.xml'), {});
    const got = records(await collect(source.items));
    expect(source.format).toBe('xml');
    expect(got.map((r) => r.fields.title)).toEqual(['Trailblazer 45L Hiking Backpack with Rain Cover', 'Trail Runner Shoe - Caf\u00e9 edition']);
  });

  it('refuses an encoding it cannot read', async () => {
    const tmp = tempDir();
    const file = tmp.write('ebcdic.xml', '<?xml version="1.0" encoding="EBCDIC-CP-US"?><rss><channel/></rss>');
    await expect(openSource(file, {})).rejects.toThrow(/declares encoding 'EBCDIC-CP-US', which assay does not read/);
  });

  it('reads the real-world shape of the RSS fixture: plain <link>, lists, nested shipping', async () => {
    const source = await openSource(join(FEEDS, 'merchant-rss.xml'), {});
    const first = records(await collect(source.items))[0].fields;
    expect(first.link).toBe('https://shop.example.test/p/tb45');
    expect(first['g:product_type']).toBe('Outdoor > Hiking > Backpacks');
    expect(JSON.parse(first['g:shipping.country'])).toEqual(['US', 'CA']);
    expect(readFileSync(join(FEEDS, 'merchant-rss.xml'), 'utf8')).toContain('<![CDATA[');
    expect(first['g:description']).toMatch(/^<p>The <b>Trailblazer 45L<\/b>.* rain & rough rock\.<\/p>$/);
  });
});

async function collect(items: AsyncIterable<RawItem>): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
