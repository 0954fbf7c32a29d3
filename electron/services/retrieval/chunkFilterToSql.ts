import { sqlLiteral } from './sqlLiteral.js';

/** Metadata filters for retrieval; all given conditions must hold (AND). */
export interface ChunkFilter {
  /** Only chunks of these documents. An empty array matches nothing. */
  docIds?: readonly string[];
  /** Chunks whose document has ANY of these tags. */
  tags?: readonly string[];
  collection?: string;
  /** Inclusive lower bound on the chunk's `created_at`. */
  createdAfter?: Date | number;
  /** Exclusive upper bound on `created_at`. */
  createdBefore?: Date | number;
}

/**
 * Renders a {@link ChunkFilter} as a LanceDB `where` predicate, every value through
 * {@link sqlLiteral}. Returns undefined when there is nothing to filter.
 */
export function chunkFilterToSql(filter: ChunkFilter | undefined): string | undefined {
  if (!filter) return undefined;
  const parts: string[] = [];
  if (filter.docIds) parts.push(filter.docIds.length === 0 ? 'false' : `doc_id IN (${filter.docIds.map(sqlLiteral).join(', ')})`);
  if (filter.tags && filter.tags.length > 0) parts.push(`array_has_any(tags, make_array(${filter.tags.map(sqlLiteral).join(', ')}))`);
  if (filter.collection !== undefined) parts.push(`collection = ${sqlLiteral(filter.collection)}`);
  if (filter.createdAfter !== undefined) parts.push(`created_at >= ${sqlLiteral(filter.createdAfter)}`);
  if (filter.createdBefore !== undefined) parts.push(`created_at < ${sqlLiteral(filter.createdBefore)}`);
  return parts.length === 0 ? undefined : parts.map((p) => `(${p})`).join(' AND ');
}
