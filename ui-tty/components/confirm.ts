// A y/n question that holds a screen's keys until answered: 'y' does it, any other key does not.
import React from 'react';

export interface Confirm {
  /** The question being asked, or null. */
  readonly question: string | null;
  ask(question: string, onYes: () => void): void;
  /** Feed a key press while a question is open. */
  answer(input: string): void;
}

export function useConfirm(): Confirm {
  const [pending, setPending] = React.useState<{ question: string; onYes: () => void } | null>(null);
  return {
    question: pending?.question ?? null,
    ask: (question, onYes) => setPending({ question, onYes }),
    answer: (input) => {
      setPending(null);
      if (pending && (input === 'y' || input === 'Y')) pending.onYes();
    },
  };
}
