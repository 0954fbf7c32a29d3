import type { ReactNode } from 'react';
import { FIELD_TYPES, STRING_FORMATS, newField, withType, type BuilderField, type FieldType } from './schemaBuilder.js';

/**
 * The Builder tab's editor: one row per field (name, type, required, description, constraints), nested for
 * objects and array items. Problems show beside the field that has them; the schema is only sent when none remain.
 */
export function FieldBuilder({
  fields,
  onChange,
  problems,
  depth = 0,
}: {
  fields: BuilderField[];
  onChange: (fields: BuilderField[]) => void;
  problems: Map<string, string>;
  depth?: number;
}): ReactNode {
  const replace = (id: string, next: BuilderField) => onChange(fields.map((f) => (f.id === id ? next : f)));
  return (
    <div className={depth === 0 ? 'builder' : 'builder nested'}>
      <ol className="field-list" aria-label={depth === 0 ? 'Fields' : 'Properties'}>
        {fields.map((f, i) => (
          <li key={f.id} className="field-item" data-testid="builder-field">
            <FieldRow
              field={f}
              problems={problems}
              onChange={(next) => replace(f.id, next)}
              onRemove={() => onChange(fields.filter((x) => x.id !== f.id))}
              onMove={(delta) => {
                const j = i + delta;
                if (j < 0 || j >= fields.length) return;
                const next = [...fields];
                [next[i], next[j]] = [next[j]!, next[i]!];
                onChange(next);
              }}
              depth={depth}
              isItem={false}
            />
          </li>
        ))}
      </ol>
      <button type="button" className="small" onClick={() => onChange([...fields, newField()])}>
        + Add {depth === 0 ? 'field' : 'property'}
      </button>
    </div>
  );
}

function FieldRow({
  field: f,
  problems,
  onChange,
  onRemove,
  onMove,
  depth,
  isItem,
}: {
  field: BuilderField;
  problems: Map<string, string>;
  onChange: (f: BuilderField) => void;
  onRemove?: () => void;
  onMove?: (delta: number) => void;
  depth: number;
  isItem: boolean;
}): ReactNode {
  const set = <K extends keyof BuilderField>(k: K, v: BuilderField[K]) => onChange({ ...f, [k]: v });
  const problem = problems.get(f.id);
  const who = isItem ? 'Item' : f.name || 'new field';
  const bounds = f.type === 'string' ? ['Min length', 'Max length'] : f.type === 'array' ? ['Min items', 'Max items'] : ['Minimum', 'Maximum'];
  return (
    <div className={problem === undefined ? 'field-row' : 'field-row invalid'}>
      <div className="field-main">
        {!isItem && (
          <label>
            Field name
            <input
              className="mono"
              value={f.name}
              spellCheck={false}
              placeholder="fieldName"
              aria-invalid={problem !== undefined}
              aria-label={`Field name ${f.name || '(empty)'}`}
              onChange={(e) => set('name', e.target.value)}
            />
          </label>
        )}
        <label>
          Type
          <select value={f.type} aria-label={`Type of ${who}`} onChange={(e) => onChange(withType(f, e.target.value as FieldType))}>
            {FIELD_TYPES.filter((t) => !(isItem && t === 'array')).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {!isItem && (
          <label className="check">
            <input type="checkbox" checked={f.required} onChange={(e) => set('required', e.target.checked)} aria-label={`${who} is required`} />
            Required
          </label>
        )}
        {(f.type === 'string' || f.type === 'number' || f.type === 'integer' || f.type === 'array') && (
          <>
            <label>
              {bounds[0]}
              <input type="number" className="narrow" value={f.min} onChange={(e) => set('min', e.target.value)} aria-label={`${bounds[0]} of ${who}`} />
            </label>
            <label>
              {bounds[1]}
              <input type="number" className="narrow" value={f.max} onChange={(e) => set('max', e.target.value)} aria-label={`${bounds[1]} of ${who}`} />
            </label>
          </>
        )}
        {f.type === 'string' && (
          <>
            <label className="grow">
              Pattern
              <input className="mono" value={f.pattern} spellCheck={false} placeholder="^[A-Z]{2}-\d+$" onChange={(e) => set('pattern', e.target.value)} aria-label={`Pattern of ${who}`} />
            </label>
            <label>
              Format
              <select value={f.format} onChange={(e) => set('format', e.target.value as BuilderField['format'])} aria-label={`Format of ${who}`}>
                {STRING_FORMATS.map((x) => (
                  <option key={x} value={x}>
                    {x === '' ? 'any' : x}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {f.type === 'enum' && (
          <label className="grow">
            Values (comma-separated)
            <input value={f.enumValues} placeholder="red, green, blue" onChange={(e) => set('enumValues', e.target.value)} aria-label={`Values of ${who}`} />
          </label>
        )}
        {!isItem && (
          <label className="description grow">
            Description
            <input value={f.description} placeholder="optional, helps the model" onChange={(e) => set('description', e.target.value)} aria-label={`Description of ${who}`} />
          </label>
        )}
        <span className="field-actions">
          {onMove && (
            <>
              <button type="button" className="ghost" aria-label={`Move ${who} up`} onClick={() => onMove(-1)}>
                ↑
              </button>
              <button type="button" className="ghost" aria-label={`Move ${who} down`} onClick={() => onMove(1)}>
                ↓
              </button>
            </>
          )}
          {onRemove && (
            <button type="button" className="ghost" aria-label={`Remove ${who}`} onClick={onRemove}>
              ✕
            </button>
          )}
        </span>
      </div>
      {problem !== undefined && (
        <p className="field-problem small bad" role="alert">
          ✕ {problem}
        </p>
      )}
      {f.type === 'array' && f.items !== null && (
        <div className="builder nested">
          <div className="small muted">Each item:</div>
          <FieldRow field={f.items} problems={problems} onChange={(items) => set('items', items)} depth={depth + 1} isItem />
        </div>
      )}
      {f.type === 'object' && <FieldBuilder fields={f.children} onChange={(children) => set('children', children)} problems={problems} depth={depth + 1} />}
    </div>
  );
}
