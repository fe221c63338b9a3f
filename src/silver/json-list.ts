/**
 * A cell that holds a JSON array of strings or numbers (`["Laptops"]`, `["a", "b"]`), as exports
 * from document stores and APIs write lists: its items as text. Undefined for anything else,
 * so a cell that only starts with a bracket (`[NEW] Lamp`) stays text.
 */
export function parseJsonList(text: string): string[] | undefined {
  // Runs on every attribute of every record: most cells are ruled out by their first character.
  const first = text.charCodeAt(0);
  if (first !== 91 && first > 32) return undefined;
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const items: string[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      if (item.trim() !== '') items.push(item);
    } else if (typeof item === 'number') items.push(String(item));
    else return undefined;
  }
  return items;
}
