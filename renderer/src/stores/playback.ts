// A recording played in the window (issue 22), as the UI sees it: what is playing (its length,
// markers, how far the seek index reaches), the recent recordings, and the actions that reach the host
// through the Transport — open a recording (its text from disk, or a recent one by name), seek, take
// over, and the instructor's markers while recording. A recording the host refuses is shown in the
// toolbar's file-error panel with its line; the running lab stays as it was.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PlaybackAnswer, PlaybackRequest, PlaybackState, RecentRecording } from '../../../emulator/protocol/playback.ts';
import { useLabFilesStore } from './lab-files.ts';
import { useLabStore } from './lab.ts';
import { hostEvents } from '../composables/host-events.ts';

export const usePlaybackStore = defineStore('playback', () => {
  const state = ref<PlaybackState | null>(null);
  const recent = ref<RecentRecording[]>([]);
  /** A seek under way (the bar shows it) and how long the last one took on the host. */
  const seeking = ref(false);
  const lastSeekMs = ref<number | undefined>(undefined);
  const events = hostEvents((event) => {
    if (event.type === 'playback.state') state.value = event.state;
  });

  /** Follows the host's playback events on the lab store's Transport (again after a reconnect). */
  async function attach(): Promise<void> {
    if (!events.follow()) return;
    const answer = await ask({ action: 'status' });
    if (answer?.ok) state.value = answer.state ?? null;
  }

  async function ask(request: PlaybackRequest): Promise<PlaybackAnswer | undefined> {
    const lab = useLabStore();
    try {
      const transport = lab.hostTransport();
      if (!transport) throw new Error('not connected to the lab host');
      return await transport.request('lab.playback', request);
    } catch (error) {
      lab.lastError = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  /** An opened recording replaces the lab (the host sends the reset); a refused one is listed with its line. */
  async function opened(answer: PlaybackAnswer | undefined): Promise<boolean> {
    const files = useLabFilesStore();
    if (!answer) return false;
    if (!answer.ok) {
      files.fileErrorsTitle = 'The recording was not opened:';
      files.fileErrors = answer.errors ?? ['refused'];
      return false;
    }
    files.dismissErrors();
    files.recordingSinceUs = undefined;
    state.value = answer.state ?? null;
    useLabStore().select(undefined);
    return true;
  }

  const openText = async (name: string, text: string) => opened(await ask({ action: 'open', name, text }));
  const openRecent = async (name: string) => opened(await ask({ action: 'openRecent', name }));

  async function listRecent(): Promise<void> {
    recent.value = (await ask({ action: 'recent' }))?.recent ?? [];
  }

  async function seek(atUs: number): Promise<void> {
    seeking.value = true;
    try {
      const answer = await ask({ action: 'seek', atUs: Math.max(0, Math.round(atUs)) });
      if (answer?.ok) lastSeekMs.value = answer.wallMs;
      else if (answer) useLabStore().lastError = answer.errors?.join('; ') ?? 'seek refused';
    } finally {
      seeking.value = false;
    }
  }

  /** Branch: the lab goes on live from where the playback stands. */
  async function takeOver(): Promise<void> {
    const answer = await ask({ action: 'takeOver' });
    if (answer?.ok) state.value = null;
  }

  /** The instructor's marker in the recording under way. */
  async function mark(text: string): Promise<boolean> {
    const lab = useLabStore();
    try {
      const answer = await lab.hostTransport()?.request('lab.mark', { text });
      if (answer && !answer.ok) lab.lastError = answer.error ?? 'marker refused';
      return answer?.ok ?? false;
    } catch (error) {
      lab.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  return { state, recent, seeking, lastSeekMs, attach, openText, openRecent, listRecent, seek, takeOver, mark };
});
