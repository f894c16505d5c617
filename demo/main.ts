import { registerHttpCache } from '../src/client/index.ts';

const status = document.querySelector<HTMLParagraphElement>('#status');

registerHttpCache().then(
  () => {
    if (status) status.textContent = 'The cache worker controls this page.';
  },
  (error: unknown) => {
    if (status) status.textContent = `The cache worker could not start: ${String(error)}`;
  },
);
