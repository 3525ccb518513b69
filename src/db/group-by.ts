/**
 * Rows of one flat query, grouped by a key in their order: how repositories assemble what a nested
 * Prisma include would return. An include sends one bound parameter per parent row, and SQLite
 * refuses statements with more than 999 (Prisma P2029), so queries over a team's mechanisms read
 * each table once, filtered by team through a relation (a join), and group here (issue 10).
 */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
