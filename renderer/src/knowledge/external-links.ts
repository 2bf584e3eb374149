// Opens a link from a knowledge article. The desk services check it first
// (https, not a private or loopback host); in Electron they open it in the
// system browser themselves, in browser mode they hand back the checked URL and
// this page opens exactly that, in a new tab that cannot reach back to the desk.
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';

export async function openCheckedLink(
  desk: Pick<DeskBridge, 'openExternalLink'>,
  url: string,
  open: (url: string) => void = (checked) =>
    void window.open(checked, '_blank', 'noopener,noreferrer'),
): Promise<ResultError | null> {
  const answer = await desk.openExternalLink({ url });
  if (!answer.ok) return answer.error;
  if (answer.value.openedBy === 'renderer') open(answer.value.url);
  return null;
}
