// The new-job wizard: mode, destination, format/hashes/case (forensic only), how to read a damaged
// drive, then a summary to confirm. Enter goes on, Esc goes back a step (and out at the first).
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { FieldList } from '../components/field-list.ts';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { DEFAULT_DRAFT, draftProblem, toJobRequest, type JobDraft, type JobRequest } from '../job-request.ts';
import { clip, wrap } from '../text.ts';
import type { PortView } from '../view-model.ts';
import { editField, fieldHelp, fieldsOf, MODE_FIELD, STEP_TITLES, stepsFor } from '../wizard-fields.ts';
import { requestSummary } from '../wizard-summary.ts';

const h = React.createElement;

export interface NewJobScreenProps {
  readonly port: PortView;
  /** Where the image goes unless the operator types another path (not offered for a clone: its target is a drive). */
  readonly proposedDestination?: string;
  onSubmit(request: JobRequest): void;
  onCancel(): void;
}

const FORM_KEYS: readonly KeyHint[] = [
  ['Up/Down', 'field'], ['Left/Right/Space', 'change'], ['Enter', 'next'], ['Esc', 'back'],
];
const MODE_KEYS: readonly KeyHint[] = [['Up/Down', 'choose'], ['Enter', 'next'], ['Esc', 'cancel']];
const CONFIRM_KEYS: readonly KeyHint[] = [['Enter', 'start the job'], ['Esc', 'back']];

/** A clone's destination is a drive: the proposed image path is taken away for it and given back after. */
function withMode(draft: JobDraft, next: JobDraft, proposed: string | undefined): JobDraft {
  if (proposed === undefined || next.mode === draft.mode) return next;
  if (next.mode === 'clone' && next.destination === proposed) return { ...next, destination: '' };
  if (draft.mode === 'clone' && next.destination === '') return { ...next, destination: proposed };
  return next;
}

export function NewJobScreen({ port, proposedDestination, onSubmit, onCancel }: NewJobScreenProps): React.ReactElement {
  const { columns } = useBodySize();
  const [draft, setDraft] = React.useState<JobDraft>(() =>
    proposedDestination === undefined ? DEFAULT_DRAFT : { ...DEFAULT_DRAFT, destination: proposedDestination });
  const [stepIndex, setStepIndex] = React.useState(0);
  const [focus, setFocus] = React.useState(0);
  const [problem, setProblem] = React.useState<string | null>(null);
  const steps = stepsFor(draft.mode);
  const step = steps[stepIndex];
  const fields = fieldsOf(step);

  const go = (to: number): void => {
    setStepIndex(to);
    setFocus(0);
    setProblem(null);
  };

  useInput((input, key) => {
    if (key.escape) return stepIndex === 0 ? onCancel() : go(stepIndex - 1);
    if (key.return) {
      const found = draftProblem(draft);
      if (step === 'confirm' && !found) return onSubmit(toJobRequest(port.port, draft));
      if (found && (found.area === step || step === 'confirm')) return setProblem(found.text);
      return go(stepIndex + 1);
    }
    if (step === 'mode' && (key.upArrow || key.downArrow)) {
      const next = editField(MODE_FIELD, draft, '', { ...key, leftArrow: key.upArrow, rightArrow: key.downArrow });
      return setDraft(next ? withMode(draft, next, proposedDestination) : draft);
    }
    if (key.upArrow) return setFocus(Math.max(0, focus - 1));
    if (key.downArrow || key.tab) return setFocus(Math.min(fields.length - 1, focus + 1));
    const next = fields[focus] ? editField(fields[focus], draft, input, key) : null;
    if (next) {
      setDraft(withMode(draft, next, proposedDestination));
      setProblem(null);
    }
  });

  const title = `New job on port ${port.port}: ${port.model} ${port.serial}`;
  const body: React.ReactNode[] = [];
  if (step === 'mode') {
    const choices = MODE_FIELD.kind === 'choice' ? MODE_FIELD.choices : [];
    for (const c of choices) {
      const on = c.value === draft.mode;
      body.push(h(Text, { key: c.value, bold: on }, `${on ? '> (*)' : '  ( )'} ${c.label}`));
      body.push(...wrap(c.help, columns - 6).map((l, i) => h(Text, { key: `${c.value}${i}`, dimColor: !on }, `      ${l}`)));
    }
  } else if (step === 'confirm') {
    const lines = requestSummary(port, toJobRequest(port.port, draft));
    body.push(...lines.map((l, i) => h(Text, { key: i, color: l.colour, bold: l.bold }, clip(l.text, columns))));
  } else {
    body.push(h(FieldList, { key: 'fields', fields, draft, focus, width: columns }));
    const help = fields[focus] ? fieldHelp(fields[focus], draft) : '';
    const helpLines = wrap(help, columns - 2).map((l, i) => h(Text, { key: i, dimColor: true }, `  ${l}`));
    body.push(h(Box, { key: 'help', flexDirection: 'column', marginTop: 1 }, ...helpLines));
  }
  const keys = step === 'mode' ? MODE_KEYS : step === 'confirm' ? CONFIRM_KEYS : FORM_KEYS;
  return h(
    ScreenFrame,
    { keys },
    h(Text, { bold: true }, clip(title, columns)),
    h(Text, null, clip(`Step ${stepIndex + 1} of ${steps.length}: ${STEP_TITLES[step]}`, columns)),
    h(Box, { flexDirection: 'column', marginTop: 1 }, ...body),
    problem ? h(Text, { color: 'yellow', bold: true }, clip(problem, columns)) : null,
    step === 'confirm' ? h(Text, null, 'Enter starts the job; Esc goes back to change something.') : null,
  );
}
