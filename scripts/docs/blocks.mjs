// Generated blocks inside hand-written pages: the text between `<!-- NAME:start -->` and
// `<!-- NAME:end -->` belongs to a generator, everything around it to the page's author.

const startMarker = (name) => `<!-- ${name}:start -->`;
const endMarker = (name) => `<!-- ${name}:end -->`;

/** The block's text, trimmed, or undefined when the page lacks its markers. */
export function readBlock(page, name) {
  const start = page.indexOf(startMarker(name));
  const end = page.indexOf(endMarker(name));
  if (start < 0 || end < start) return undefined;
  return page.slice(start + startMarker(name).length, end).trim();
}

/** The page with the block's text replaced; throws when the markers are missing, so no block is lost silently. */
export function writeBlock(page, name, body) {
  const start = page.indexOf(startMarker(name));
  const end = page.indexOf(endMarker(name));
  if (start < 0 || end < start) throw new Error(`no ${startMarker(name)} ... ${endMarker(name)} block`);
  return `${page.slice(0, start + startMarker(name).length)}\n${body}\n${page.slice(end)}`;
}
