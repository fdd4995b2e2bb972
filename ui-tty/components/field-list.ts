// The wizard's form: one field a row, the focused one marked '>', values shown so they read
// without colour: [E01] for the choice made, [x] for a hash that is on, a '_' cursor in text.
import React from 'react';
import { Box, Text } from 'ink';
import type { JobDraft } from '../job-request.ts';
import { fit } from '../text.ts';
import type { Field } from '../wizard-fields.ts';

const h = React.createElement;

const LABEL = 14;

/** A field's value as text of at most `width` characters; a long text keeps its end in view. */
export function fieldValue(field: Field, d: JobDraft, focused: boolean, width: number): string {
  switch (field.kind) {
    case 'choice':
      return field.choices.map((c) => (c.value === field.get(d) ? `[${c.label}]` : ` ${c.label} `)).join(' ');
    case 'toggle':
      return field.get(d) ? '[x]' : '[ ]';
    case 'number':
      return `< ${field.get(d)} > ${field.unit}`;
    case 'text': {
      const text = field.get(d) + (focused ? '_' : '');
      return text.length <= width ? text : `~${text.slice(text.length - width + 1)}`;
    }
  }
}

export interface FieldListProps {
  readonly fields: readonly Field[];
  readonly draft: JobDraft;
  readonly focus: number;
  readonly width: number;
}

export function FieldList({ fields, draft, focus, width }: FieldListProps): React.ReactElement {
  const valueWidth = Math.max(4, width - 2 - LABEL - 1);
  return h(
    Box,
    { flexDirection: 'column' },
    ...fields.map((f, i) =>
      h(Text, { key: f.label, bold: i === focus },
        `${i === focus ? '> ' : '  '}${fit(f.label, LABEL)} ${fieldValue(f, draft, i === focus, valueWidth)}`)),
  );
}
