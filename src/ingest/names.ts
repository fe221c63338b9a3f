export interface NameChange {
  /** 0-based position in the list. */
  index: number;
  from: string;
  to: string;
}

/**
 * Gives every name of a list a name of its own, so no value is lost: the first of a repeated
 * name keeps it, later ones become `name (2)`, `name (3)`... A made-up name never takes one the
 * list itself holds, even further on. With `blank`, an empty name is made up too.
 */
export function uniqueNames(given: readonly string[], blank?: (index: number) => string): { names: string[]; renamed: NameChange[] } {
  const taken = new Set(blank ? given.filter(Boolean) : given);
  const used = new Set<string>();
  const renamed: NameChange[] = [];
  const names = given.map((name, index) => {
    const isBlank = blank !== undefined && name === '';
    if (!isBlank && !used.has(name)) {
      used.add(name);
      return name;
    }
    const base = isBlank ? blank(index) : name;
    let free = base;
    for (let n = 2; used.has(free) || taken.has(free); n++) free = `${base} (${n})`;
    used.add(free);
    taken.add(free);
    renamed.push({ index, from: name, to: free });
    return free;
  });
  return { names, renamed };
}
