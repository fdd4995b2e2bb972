// The home screen: every port with its drive, health verdict, write block and hidden areas.
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { useConfirm } from '../components/confirm.ts';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { table, type Column } from '../components/table.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { clip, formatCapacity } from '../text.ts';
import type { PortView } from '../view-model.ts';
import {
  HEALTH_COLOURS, HEALTH_WORDS, hiddenWord, PORT_STATE_WORDS, WRITE_BLOCK_COLOURS, WRITE_BLOCK_WORDS,
} from '../words.ts';

const h = React.createElement;

export interface DrivesScreenProps {
  readonly ports: readonly PortView[];
  /** Jobs still running: quitting asks first when there are any. */
  readonly runningJobs: number;
  onOpen(port: string): void;
  onNewJob(port: string): void;
  onJobs(): void;
  onQuit(): void;
}

const COLUMNS: readonly Column<PortView>[] = [
  { header: 'PORT', width: 4, text: (p) => p.port },
  { header: 'MODEL', width: 'flex', text: (p) => p.model },
  { header: 'SERIAL', width: 'flex', text: (p) => p.serial },
  { header: 'SIZE', width: 7, align: 'right', text: (p) => formatCapacity(p.capacityBytes) },
  { header: 'HEALTH', width: 7, text: (p) => HEALTH_WORDS[p.health], colour: (p) => HEALTH_COLOURS[p.health] },
  {
    header: 'BLOCKED', width: 7,
    text: (p) => WRITE_BLOCK_WORDS[p.writeBlock], colour: (p) => WRITE_BLOCK_COLOURS[p.writeBlock],
  },
  { header: 'HIDDEN', width: 7, text: hiddenWord, colour: (p) => (p.hpa || p.dco ? 'yellow' : undefined) },
  { header: 'STATE', width: 9, text: (p) => PORT_STATE_WORDS[p.state], colour: (p) => (p.state === 'faulted' ? 'red' : undefined) },
];

const KEYS: readonly KeyHint[] = [
  ['Up/Down', 'select'], ['Enter', 'details'], ['n', 'new job'], ['j', 'jobs'], ['q', 'quit'],
];

/** Lines under the table: the selected drive's verdict in a sentence, and why `n` was refused. */
const INFO_ROWS = 3;

export function DrivesScreen(props: DrivesScreenProps): React.ReactElement {
  const { ports, runningJobs } = props;
  const { columns, rows } = useBodySize();
  const [selected, setSelected] = React.useState(0);
  const [notice, setNotice] = React.useState<string | null>(null);
  const confirm = useConfirm();
  const index = Math.min(selected, Math.max(0, ports.length - 1));
  const current = ports[index];

  useInput((input, key) => {
    if (confirm.question) return confirm.answer(input);
    setNotice(null);
    if (key.upArrow) setSelected(Math.max(0, index - 1));
    else if (key.downArrow) setSelected(Math.min(ports.length - 1, index + 1));
    else if (key.return && current) props.onOpen(current.port);
    else if (input === 'n' && current) {
      if (current.state === 'ready') props.onNewJob(current.port);
      else setNotice(`Port ${current.port} is ${PORT_STATE_WORDS[current.state]}: a new job needs a ready drive.`);
    } else if (input === 'j') props.onJobs();
    else if (input === 'q') {
      if (runningJobs === 0) props.onQuit();
      else confirm.ask(`${runningJobs === 1 ? '1 job is' : `${runningJobs} jobs are`} running. Quit the panel? y = quit, other key = stay`, props.onQuit);
    }
  });

  const body = ports.length === 0
    ? h(Text, null, 'No drives attached. Connect a drive to a port; it shows here once identified.')
    : table({
        columns: COLUMNS, rows: ports, width: columns, height: rows - 1 - INFO_ROWS, selected: index,
        rowKey: (p: PortView) => p.port,
      });
  const info = current
    ? [
        h(Text, { key: 'dev' }, clip(`Port ${current.port}: ${current.device}  ${current.model}  ${current.serial}`, columns)),
        h(Text, { key: 'health', color: HEALTH_COLOURS[current.health] },
          clip(`Health ${HEALTH_WORDS[current.health]}: ${current.healthLine}`, columns)),
      ]
    : [];
  return h(
    ScreenFrame,
    { keys: KEYS, prompt: confirm.question },
    body,
    h(Box, { flexDirection: 'column', marginTop: 1 },
      ...info,
      notice ? h(Text, { key: 'notice', color: 'yellow' }, clip(notice, columns)) : null),
  );
}
