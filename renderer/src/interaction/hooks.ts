// React bindings for a live interaction: its current view, re-rendered on every transition.
import { useSyncExternalStore } from 'react';
import type { LiveInteraction, LiveView } from './live-interaction';

export function useLiveView(interaction: LiveInteraction): LiveView {
  return useSyncExternalStore(interaction.subscribe, interaction.getView, interaction.getView);
}
